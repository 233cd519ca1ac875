package dev.quarry.bm25;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.quarry.data.Dataset;
import dev.quarry.data.Datasets;
import dev.quarry.data.Run;
import dev.quarry.eval.EvalConfig;
import dev.quarry.eval.EvalReport;
import dev.quarry.eval.Evaluator;
import dev.quarry.eval.Metric;
import dev.quarry.testing.SharedData;
import dev.quarry.util.Progress;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Anserini's BEIR SciFact BM25 regressions (castorini/anserini, reproduce/from-document-collection/configs/
 * beir-v1.0.0-scifact.{flat,multifield}.yaml), which Quarry must reproduce within 0.005; today it matches to 4 decimals.
 */
class SciFactBm25RegressionTest {
  @TempDir
  static Path cache;
  static Dataset scifact;

  @BeforeAll
  static void open() {
    scifact = Datasets.open(SharedData.scifact());
  }

  private static EvalReport evaluate(Bm25Config config) throws Exception {
    try (Bm25Index index = Bm25Index.openOrBuild(scifact, config.fields(), cache, Progress.NONE)) {
      assertThat(index.numDocs()).isEqualTo(5183);
      Run run = index.searcher(config).searchAll(scifact.queries("test"), 1000, "t", 2, false, Progress.NONE);
      return new Evaluator(EvalConfig.DEFAULT).evaluate(scifact.qrels("test"), run,
          Metric.parseList("ndcg@10,recall@100,recall@1000"));
    }
  }

  @Test
  void flatReproducesAnserini() throws Exception {
    EvalReport r = evaluate(Bm25Config.ANSERINI_FLAT);
    assertThat(r.mean("ndcg@10")).isCloseTo(0.6789, within(0.005));
    assertThat(r.mean("recall@100")).isCloseTo(0.9253, within(0.005));
    assertThat(r.mean("recall@1000")).isCloseTo(0.9767, within(0.005));
  }

  @Test
  void multifieldReproducesAnserini() throws Exception {
    EvalReport r = evaluate(new Bm25Config(0.9f, 0.4f, Bm25Config.FieldMode.MULTIFIELD));
    assertThat(r.mean("ndcg@10")).isCloseTo(0.6647, within(0.005));
    assertThat(r.mean("recall@100")).isCloseTo(0.9076, within(0.005));
    assertThat(r.mean("recall@1000")).isCloseTo(0.9800, within(0.005));
  }

  @Test
  void flatIndexHasAnserinisTermCount() throws Exception {
    // Anserini's regression records 838,128 total terms for the flat SciFact index: same analysis, same tokens.
    try (Bm25Index index = Bm25Index.openOrBuild(scifact, Bm25Config.FieldMode.FLAT, cache, Progress.NONE)) {
      assertThat(index.totalTerms()).isEqualTo(838_128L);
    }
  }
}
