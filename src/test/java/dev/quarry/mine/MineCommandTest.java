package dev.quarry.mine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.cli.MineCommand;
import dev.quarry.cli.QuarryCli;
import dev.quarry.data.Datasets;
import dev.quarry.data.TrecFormat;
import dev.quarry.io.Fixtures;
import dev.quarry.util.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code quarry mine} end to end, in process. */
class MineCommandTest {
  @TempDir
  Path dir;

  record Result(int code, String err) {
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = QuarryCli.commandLine(new MineCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, err.toString());
  }

  @Test
  void writesGroupsAndPrintsTheReport() {
    Path data = MiningFixtures.beir(dir.resolve("beir"));
    Path runFile = MiningFixtures.run(dir.resolve("bm25.trec"));
    Path output = dir.resolve("out/groups.jsonl");
    Result r = run("--dataset", data.toString(), "--split", "train", "--run", runFile.toString(),
        "--output", output.toString(), "--from", "2", "--to", "4", "--negatives", "10", "--random", "1",
        "--seed", "5");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err())
        .contains("mine: 4 groups, 2.50 negatives per query (6 bm25 from ranks 2..4, 4 random), positives by qrels, "
            + "seed 5")
        .contains("mine: queries skipped without positives: 1; without a ranking in the run (random negatives only): "
            + "1; short of negatives from the run: 3")
        .contains("mine: candidates dropped: 2 judged relevant, 0 containing an answer")
        .contains("mine: wrote " + output);

    List<TrainGroup> groups = TrainGroupFormat.read(output);
    List<TrainGroup> library = new java.util.ArrayList<>();
    new NegativeMiner(new MiningConfig("bm25", 2, 4, 10, 1, 5, PositiveRule.QRELS)).mine(Datasets.open(data),
        "train", TrecFormat.readAnyRun(runFile), library::add, Progress.NONE);
    assertThat(groups).as("the command writes what the library mines").isEqualTo(library);
  }

  @Test
  void defaultsAreOneNegativeFromTheTop30Seed13ByQrels() {
    Path data = MiningFixtures.beir(dir.resolve("beir"));
    Path runFile = MiningFixtures.run(dir.resolve("bm25.trec"));
    Path output = dir.resolve("groups.jsonl");
    Result r = run("--dataset", data.toString(), "--split", "train", "--run", runFile.toString(),
        "--output", output.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("(3 bm25 from ranks 1..30, 0 random), positives by qrels, seed 13");
    List<TrainGroup> expected = new java.util.ArrayList<>();
    new NegativeMiner(MiningConfig.defaults("bm25")).mine(Datasets.open(data), "train",
        TrecFormat.readAnyRun(runFile), expected::add, Progress.NONE);
    assertThat(TrainGroupFormat.read(output)).isEqualTo(expected);
  }

  @Test
  void answersRuleFromTheCommandLine() {
    Path data = MiningFixtures.squad(dir.resolve("squad"));
    Path runFile = MiningFixtures.squadRun(dir.resolve("squad.trec"));
    Path output = dir.resolve("squad.jsonl");
    Result r = run("--dataset", data.toString(), "--split", "dev", "--run", runFile.toString(), "--output",
        output.toString(), "--positives", "ANSWERS", "--negatives", "5", "--source", "bm25-squad");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("positives by answers").contains("2 judged relevant, 2 containing an answer");
    assertThat(TrainGroupFormat.read(output).get(0).negatives())
        .extracting(n -> n.passage().id(), TrainGroup.Negative::source)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("Super_Bowl_50_p2", "bm25-squad"));
  }

  @Test
  void badOptionsFailWithClearMessagesAndWriteNothing() throws Exception {
    Path data = MiningFixtures.beir(dir.resolve("beir"));
    Path runFile = MiningFixtures.run(dir.resolve("bm25.trec"));
    Path output = dir.resolve("never.jsonl");
    String[] base = {"--dataset", data.toString(), "--split", "train", "--run", runFile.toString(), "--output",
        output.toString()};
    assertThat(run(concat(base, "--positives", "both")).err())
        .contains("Invalid value for option '--positives': expected one of [QRELS, ANSWERS] (case-insensitive) but was 'both'");
    assertThat(run(concat(base, "--from", "0")).err()).contains("from must be >= 1 (ranks are 1-based); from=0");
    assertThat(run(concat(base, "--from", "5", "--to", "4")).err()).contains("to must be >= from; from=5, to=4");
    assertThat(run(concat(base, "--negatives", "0")).err())
        .contains("negatives and randomNegatives are both 0; ask for at least one negative");
    assertThat(run(concat(base, "--source", "random")).err()).contains("source must not be \"random\"");
    assertThat(run(concat(base, "--positives", "answers")).err())
        .contains("the ANSWERS positive rule needs a dataset with answers");
    Path badRun = Fixtures.write(dir.resolve("bad.trec"), "q1 Q0 d1 x 1.0 t\n");
    String[] withBadRun = base.clone();
    withBadRun[5] = badRun.toString();
    Result r = run(withBadRun);
    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains(badRun + ":1: rank must be an integer, found \"x\"");
    assertThat(run("--dataset", data.toString(), "--split", "test", "--run", runFile.toString(), "--output",
        output.toString()).err()).contains("has no split \"test\"");
    assertThat(Files.exists(output)).isFalse();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith(".never"));
    }
  }

  private static String[] concat(String[] base, String... more) {
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }
}
