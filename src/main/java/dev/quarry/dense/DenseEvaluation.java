package dev.quarry.dense;

import dev.quarry.data.PassageStore;
import dev.quarry.data.Qrels;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import dev.quarry.eval.EvalConfig;
import dev.quarry.eval.EvalReport;
import dev.quarry.eval.Evaluator;
import dev.quarry.eval.Metric;
import dev.quarry.index.Similarity;
import dev.quarry.index.VectorIndex;
import dev.quarry.index.VectorIndexConfig;
import dev.quarry.index.VectorIndexes;
import dev.quarry.model.TextEncoder;
import dev.quarry.util.Progress;
import dev.quarry.vectors.VectorReader;
import java.nio.file.Path;
import java.util.List;

/**
 * Evaluates an encoder's current weights (no caches): encodes the passages into a scratch artifact and the queries,
 * ranks with an exact index over the memory-mapped vectors, and scores the run. Used for dev-split model selection during training and for test numbers after it.
 */
public final class DenseEvaluation {
  private DenseEvaluation() {
  }

  /**
   * Ranks {@code queries} against {@code corpus} encoded with the encoder's current weights (into {@code scratch}, a
   * folder deleted afterwards: {@link CorpusVectors}) and evaluates the run at depth {@code k}.
   */
  public static EvalReport evaluate(TextEncoder encoder, PassageStore corpus, List<String> corpusIds, Path scratch,
      List<Query> queries, Qrels qrels, List<Metric> metrics, int batchSize, int k) {
    float[][] q = encoder.encodeQueries(queries.stream().map(Query::text).toList(), batchSize, Progress.NONE);
    Run.Builder run = Run.builder("quarry-dev");
    try {
      CorpusVectors.encode(encoder, corpus, corpusIds, scratch, batchSize, Progress.NONE);
      try (VectorReader vectors = VectorReader.open(scratch, VectorReader.Verification.STRUCTURE);
          VectorIndex index = VectorIndexes.open(vectors, VectorIndexConfig.flat(Similarity.DOT_PRODUCT),
              Progress.NONE)) {
        List<List<ScoredDoc>> hits = index.search(q, k, Progress.NONE);
        for (int i = 0; i < queries.size(); i++) {
          run.put(queries.get(i).id(), hits.get(i));
        }
      }
    } finally {
      CorpusVectors.delete(scratch);
    }
    return new Evaluator(EvalConfig.DEFAULT).evaluate(qrels, run.build(), metrics);
  }
}
