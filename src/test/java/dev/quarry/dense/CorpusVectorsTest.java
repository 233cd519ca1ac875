package dev.quarry.dense;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.data.Datasets;
import dev.quarry.data.PassageStore;
import dev.quarry.data.Qrels;
import dev.quarry.data.Query;
import dev.quarry.eval.Metric;
import dev.quarry.io.Fixtures;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.InferenceEngine;
import dev.quarry.model.Pooling;
import dev.quarry.model.TextEncoder;
import dev.quarry.model.TinyModels;
import dev.quarry.util.Progress;
import dev.quarry.vectors.VectorReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A corpus encoded into a scratch artifact holds the vectors an in-memory encoding gives, and is gone after use. */
class CorpusVectorsTest {
  @TempDir
  Path tmp;

  @Test
  void theScratchArtifactHoldsTheInMemoryVectorsAndTheEvaluationDeletesIt() {
    StringBuilder corpus = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      corpus.append("{\"_id\": \"d").append(i).append("\", \"title\": \"t").append(i % 3).append("\", \"text\": \"")
          .append("word ".repeat(1 + i % 7)).append(i).append("\"}\n");
    }
    Fixtures.write(tmp.resolve("beir/corpus.jsonl"), corpus.toString());
    Fixtures.write(tmp.resolve("beir/queries.jsonl"), "{\"_id\": \"q1\", \"text\": \"word 4\"}\n");
    Fixtures.write(tmp.resolve("beir/qrels/dev.tsv"), "query-id\tcorpus-id\tscore\nq1\td4\t1\n");
    Path model = TinyModels.create(tmp.resolve("model"), new EncoderRecipe(Pooling.MEAN, true, "", "", 32, 32), 3);
    var dataset = Datasets.open(tmp.resolve("beir"));
    try (PassageStore store = PassageStore.openOrBuild(dataset, tmp.resolve("cache"));
        TextEncoder encoder = TextEncoder.load(model, InferenceEngine.DEFAULT)) {
      List<String> ids = CorpusVectors.ids(store);
      List<String> texts = new ArrayList<>();
      store.forEach(p -> texts.add(p.titleAndText()));
      float[][] inMemory = encoder.encodePassages(texts, 8, Progress.NONE);
      Path scratch = tmp.resolve("out/dev-vectors.scratch");
      CorpusVectors.encode(encoder, store, ids, scratch, 8, Progress.NONE);
      try (VectorReader reader = VectorReader.open(scratch)) {
        assertThat(reader.ids()).isEqualTo(ids);
        assertThat(reader.all()).isDeepEqualTo(inMemory);
      }
      CorpusVectors.delete(scratch);
      assertThat(scratch).doesNotExist();

      Qrels qrels = dataset.qrels("dev");
      List<Query> queries = dataset.queries("dev");
      double ndcg = DenseEvaluation.evaluate(encoder, store, ids, scratch, queries, qrels,
          List.of(Metric.parse("ndcg@10")), 8, 10).mean(Metric.parse("ndcg@10"));
      assertThat(ndcg).isBetween(0.0, 1.0);
      assertThat(scratch).doesNotExist();
      assertThat(tmp.resolve("out")).isEmptyDirectory();
    }
  }
}
