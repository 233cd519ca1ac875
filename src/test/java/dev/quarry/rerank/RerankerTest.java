package dev.quarry.rerank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.cli.QuarryCli;
import dev.quarry.data.BeirFormat;
import dev.quarry.data.Dataset;
import dev.quarry.data.Datasets;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import dev.quarry.data.TrecFormat;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.Pooling;
import dev.quarry.model.TinyModels;
import dev.quarry.util.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RerankerTest {
  @TempDir
  Path tmp;

  private Dataset dataset() throws Exception {
    Path data = tmp.resolve("data");
    List<Passage> passages = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      passages.add(new Passage("d" + i, "", "passage number " + i + " about topic " + (i % 3)));
    }
    BeirFormat.writeCorpus(data.resolve("corpus.jsonl"), passages);
    BeirFormat.writeQueries(data.resolve("queries.jsonl"), List.of(new Query("q1", "topic 1"), new Query("q2", "topic 2")));
    Files.createDirectories(data.resolve("qrels"));
    Files.writeString(data.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n");
    return Datasets.open(data);
  }

  private static Run run(String... qDocs) {
    Run.Builder b = Run.builder("in");
    for (String qd : qDocs) {
      String[] f = qd.split(":");
      for (int i = 1; i < f.length; i++) {
        b.add(f[0], new ScoredDoc(f[i], 100 - i));
      }
    }
    return b.build();
  }

  @Test
  void reranksTheTopKByTheCrossEncoderAndKeepsTheRestBelowInOrder() throws Exception {
    Dataset d = dataset();
    Path encoder = TinyModels.create(tmp.resolve("enc"), new EncoderRecipe(Pooling.MEAN, true, "", "", 32, 32), 1);
    try (CrossEncoder ce = CrossEncoder.fromEncoder(encoder, 32, 5)) {
      Run in = run("q1:d0:d1:d2:d3:d4:d5", "q2:d5:d4");
      Run out = new Reranker(ce, 2).rerank(d, "test", in, 3, "rr", Progress.NONE);
      List<ScoredDoc> q1 = out.docs("q1");
      float[] expected = ce.score(List.of("topic 1", "topic 1", "topic 1"), List.of("passage number 0 about topic 0",
          "passage number 1 about topic 1", "passage number 2 about topic 2"), 3);
      assertThat(q1).hasSize(6);
      assertThat(q1.subList(0, 3)).extracting(ScoredDoc::docId).containsExactlyInAnyOrder("d0", "d1", "d2");
      for (ScoredDoc s : q1.subList(0, 3)) {
        assertThat(s.score()).isCloseTo(expected[Integer.parseInt(s.docId().substring(1))], org.assertj.core.api.Assertions.within(1e-5));
      }
      assertThat(q1.get(0).score()).isGreaterThanOrEqualTo(q1.get(1).score());
      assertThat(q1.subList(3, 6)).extracting(ScoredDoc::docId).containsExactly("d3", "d4", "d5");
      assertThat(q1.get(3).score()).isLessThan(q1.get(2).score());
      assertThat(out.docs("q2")).extracting(ScoredDoc::docId).containsExactlyInAnyOrder("d5", "d4");

      assertThatThrownBy(() -> new Reranker(ce, 2).rerank(d, "test", run("q1:d9"), 3, "rr", Progress.NONE))
          .hasMessageContaining("the run ranks document d9, which the corpus");
      assertThatThrownBy(() -> new Reranker(ce, 2).rerank(d, "test", run("q7:d1"), 3, "rr", Progress.NONE))
          .hasMessageContaining("the run has query q7, which split test");
      ce.save(tmp.resolve("ce"));
    }
    Path runFile = tmp.resolve("in.trec");
    TrecFormat.writeRun(runFile, run("q1:d0:d1:d2", "q2:d5:d4"));
    StringWriter err = new StringWriter();
    int code = QuarryCli.run(new String[] {"rerank", "--model", tmp.resolve("ce").toString(), "--dataset",
        tmp.resolve("data").toString(), "--split", "test", "--run", runFile.toString(), "--top", "2", "--output",
        tmp.resolve("out.trec").toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err, true));
    assertThat(code).as(err.toString()).isZero();
    assertThat(TrecFormat.readRun(tmp.resolve("out.trec")).docs("q1")).hasSize(3);
    code = QuarryCli.run(new String[] {"rerank", "--model", tmp.resolve("enc").toString(), "--dataset",
        tmp.resolve("data").toString(), "--split", "test", "--run", runFile.toString(), "--output",
        tmp.resolve("bad.trec").toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err, true));
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("is neither a teacher (no teacher.json) nor a cross-encoder directory");
    assertThat(tmp.resolve("bad.trec")).doesNotExist();
  }
}
