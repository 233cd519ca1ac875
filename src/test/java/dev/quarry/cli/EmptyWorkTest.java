package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands with nothing to do, or nowhere to write, fail before any work and leave an earlier output as it was.
 */
class EmptyWorkTest {
  @TempDir
  Path tmp;

  private Path dataset(String corpus, String qrels) throws Exception {
    Path d = tmp.resolve("data");
    Files.createDirectories(d.resolve("qrels"));
    Files.writeString(d.resolve("corpus.jsonl"), corpus);
    Files.writeString(d.resolve("queries.jsonl"), "{\"_id\": \"q1\", \"text\": \"fever\"}\n");
    Files.writeString(d.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\n" + qrels);
    return d;
  }

  @Test
  void aSplitWithoutJudgedQueriesFailsEveryRetrieverBeforeTouchingTheRun() throws Exception {
    Path d = dataset("{\"_id\": \"d1\", \"text\": \"fever and pyrogens\"}\n", "");
    Path run = tmp.resolve("good.trec");
    Files.writeString(run, "q1 Q0 d1 1 1.0 earlier\n");
    for (String[] args : new String[][] {
        {"bm25", "--dataset", d.toString(), "--split", "test", "--output", run.toString(), "--cache",
            tmp.resolve("c").toString()},
        {"dense", "--model", "all-minilm-l6-v2", "--dataset", d.toString(), "--split", "test", "--output",
            run.toString(), "--cache", tmp.resolve("c").toString()},
        {"mine", "--dataset", d.toString(), "--split", "test", "--run", run.toString(), "--output",
            tmp.resolve("groups.jsonl").toString()}}) {
      QuarryCliTest.Result r = QuarryCliTest.run(args);
      assertThat(r.code()).as(args[0] + ": " + r.err()).isEqualTo(1);
      assertThat(r.err()).as(args[0]).contains("split \"test\" has no judged queries").contains(d.toString());
      assertThat(Files.readString(run)).as(args[0]).isEqualTo("q1 Q0 d1 1 1.0 earlier\n");
    }
    assertThat(tmp.resolve("c/vectors")).as("no corpus encoded").doesNotExist();
    assertThat(tmp.resolve("groups.jsonl")).doesNotExist();
  }

  @Test
  void anEmptyCorpusFailsBm25BeforeTouchingTheRun() throws Exception {
    Path d = dataset("\n", "q1\td1\t1\n");
    Path run = tmp.resolve("good.trec");
    Files.writeString(run, "q1 Q0 d1 1 1.0 earlier\n");
    QuarryCliTest.Result r = QuarryCliTest.run("bm25", "--dataset", d.toString(), "--split", "test", "--output",
        run.toString(), "--cache", tmp.resolve("c").toString());
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).contains("holds no passage");
    assertThat(Files.readString(run)).isEqualTo("q1 Q0 d1 1 1.0 earlier\n");
  }

  @Test
  void outputsThatCannotBeWrittenAndBadCountsAreRejectedBeforeTheWork() throws Exception {
    Path d = dataset("{\"_id\": \"d1\", \"text\": \"fever and pyrogens\"}\n", "q1\td1\t1\n");
    Path folder = Files.createDirectories(tmp.resolve("a-folder"));
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    String cache = tmp.resolve("c").toString();
    String[][] cases = {
        {"bm25", "--dataset", d.toString(), "--split", "test", "--output", folder.toString(), "--cache", cache},
        {"bm25", "--dataset", d.toString(), "--split", "test", "--output", file.resolve("run.trec").toString(),
            "--cache", cache},
        {"dense", "--model", "all-minilm-l6-v2", "--dataset", d.toString(), "--split", "test", "--output",
            folder.toString(), "--cache", cache},
        {"encode", "--model", "all-minilm-l6-v2", "--dataset", d.toString(), "--output", file.toString(),
            "--cache", cache},
        {"encode", "--model", "all-minilm-l6-v2", "--dataset", d.toString(), "--output",
            tmp.resolve("v").toString(), "--batch-size", "-1", "--cache", cache}};
    String[] messages = {"--output " + folder + " is a folder", "lies under " + file + ", which is a file",
        "--output " + folder + " is a folder", "--output " + file + " is a file", "--batch-size must be positive, found -1"};
    for (int i = 0; i < cases.length; i++) {
      QuarryCliTest.Result r = QuarryCliTest.run(cases[i]);
      assertThat(r.code()).as(String.join(" ", cases[i]) + ": " + r.err()).isEqualTo(1);
      assertThat(r.err()).contains(messages[i]);
    }
    assertThat(tmp.resolve("c")).as("nothing indexed, imported or encoded").doesNotExist();
  }
}
