package dev.quarry.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.data.BeirFormat;
import dev.quarry.data.Dataset;
import dev.quarry.data.Datasets;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitEvaluationTest {
  @TempDir
  Path tmp;

  private Dataset beir() throws Exception {
    BeirFormat.writeCorpus(tmp.resolve("corpus.jsonl"), List.of(new Passage("d1", "", "cats"),
        new Passage("d2", "", "dogs")));
    BeirFormat.writeQueries(tmp.resolve("queries.jsonl"), List.of(new Query("q1", "cats")));
    Files.createDirectories(tmp.resolve("qrels"));
    Files.writeString(tmp.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\n");
    return Datasets.open(tmp);
  }

  @Test
  void theChosenMeasuresAreReportedAndAnswerAccuracyNeedsAnswers() throws Exception {
    Dataset data = beir();
    assertThat(SplitEvaluation.metrics(data, "test")).isEqualTo(SplitEvaluation.STANDARD);
    Run run = Run.builder("t").put("q1", List.of(new ScoredDoc("d2", 2), new ScoredDoc("d1", 1))).build();
    EvalReport report = SplitEvaluation.evaluate(data, "test", run, Metric.parseList("mrr@10,recall@1"));
    assertThat(report.meansJson().toString()).isEqualTo("{\"mrr@10\":0.5,\"recall@1\":0.0}");
    assertThat(SplitEvaluation.checked(data, "test", Metric.parseList("map"))).containsExactly(Metric.parse("map"));
    assertThatThrownBy(() -> SplitEvaluation.checked(data, "test", Metric.parseList("ndcg@10,accuracy@20")))
        .hasMessageStartingWith("accuracy@20 needs answers, and split test of ");
  }
}
