package dev.quarry.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.cli.QuarryCli;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import dev.quarry.data.TrecFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quarry fuse} end to end, in process. */
class FuseCommandTest {
  @TempDir
  Path tmp;

  private Path a;
  private Path b;

  record Result(int code, String err) {
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = QuarryCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, err.toString());
  }

  @BeforeEach
  void runs() {
    a = tmp.resolve("a.trec");
    b = tmp.resolve("b.trec");
    TrecFormat.writeRun(a, FusionFixtures.a());
    TrecFormat.writeRun(b, FusionFixtures.b());
  }

  @Test
  void rrfWritesATrecRunInTrecEvalOrder() {
    Path out = tmp.resolve("out/rrf.trec");
    Result r = run("fuse", "--run", a.toString(), "--run", b.toString(), "--method", "rrf", "--hits", "3",
        "--output", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("fuse: 2 runs, 2 queries, rrf, wrote");
    Run fused = TrecFormat.readRun(out);
    assertThat(fused.tag()).isEqualTo("quarry-rrf");
    assertThat(fused.docs("q1")).extracting(ScoredDoc::docId).containsExactly("d3", "d1", "d4");
    assertThat(fused.docs("q1").get(0).score()).isEqualTo(1.0 / 61 + 1.0 / 63);
  }

  @Test
  void weightedTakesWeightsAndNormalization() throws Exception {
    Path out = tmp.resolve("w.trec");
    Result r = run("fuse", "--run", a.toString(), "--run", b.toString(), "--method", "weighted",
        "--weights", "0.7,0.3", "--normalization", "minmax", "--tag", "mine", "--output", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = Files.readAllLines(out);
    assertThat(lines.get(0)).isEqualTo("q1 Q0 d1 1 0.7 mine");
    assertThat(TrecFormat.readRun(out).docs("q1")).extracting(ScoredDoc::docId).containsExactly("d1", "d2", "d3", "d4");
  }

  @Test
  void badOptionsFailWithClearMessagesAndWriteNothing() {
    Path out = tmp.resolve("never.trec");
    assertThat(run("fuse", "--run", a.toString(), "--method", "rrf", "--output", out.toString()).err())
        .contains("quarry fuse: fuse needs at least two runs (--run A --run B), found 1");
    assertThat(run("fuse", "--run", a.toString(), "--run", b.toString(), "--method", "borda", "--output",
        out.toString()).err()).contains("--method must be rrf or weighted, found borda");
    assertThat(run("fuse", "--run", a.toString(), "--run", b.toString(), "--method", "rrf", "--weights", "1,1",
        "--output", out.toString()).err()).contains("--weights does not apply to --method rrf");
    assertThat(run("fuse", "--run", a.toString(), "--run", b.toString(), "--method", "weighted", "--weights", "1",
        "--output", out.toString()).err()).contains("--weights has 1 weights for 2 runs; give one per --run");
    assertThat(run("fuse", "--run", a.toString(), "--run", b.toString(), "--method", "weighted",
        "--normalization", "l2", "--output", out.toString()).err())
        .contains("--normalization must be minmax or zscore, found l2");
    Result missing = run("fuse", "--run", a.toString(), "--run", tmp.resolve("nope.trec").toString(), "--method",
        "rrf", "--output", out.toString());
    assertThat(missing.code()).isEqualTo(1);
    assertThat(out).doesNotExist();
  }
}
