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
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates an encoder's current weights in memory (no caches): encodes the passages and queries, ranks with an exact
 * index, and scores the run. Used for dev-split model selection during training and for test numbers after it.
 */
public final class DenseEvaluation {
  private DenseEvaluation() {
  }

  /**
   * The embeddings of a corpus on disk with the encoder's current weights, in corpus order. The texts are read for
   * this call only; the vectors are what stays.
   */
  public static float[][] encodeCorpus(TextEncoder encoder, PassageStore corpus, int batchSize, Progress progress) {
    List<String> texts = new ArrayList<>(corpus.size());
    corpus.forEach(p -> texts.add(p.titleAndText()));
    return encoder.encodePassages(texts, batchSize, progress);
  }

  /** The ids of a corpus on disk, in corpus order (the rows of {@link #encodeCorpus}). */
  public static List<String> ids(PassageStore corpus) {
    List<String> ids = new ArrayList<>(corpus.size());
    corpus.forEach(p -> ids.add(p.id()));
    return ids;
  }

  /** Ranks {@code queries} against an encoded corpus and evaluates the run. */
  public static EvalReport evaluate(TextEncoder encoder, List<String> corpusIds, float[][] corpusVectors,
      List<Query> queries, Qrels qrels, List<Metric> metrics, int batchSize, int k, Progress progress) {
    Run run = search(encoder, corpusIds, corpusVectors, queries, batchSize, k, progress);
    return new Evaluator(EvalConfig.DEFAULT).evaluate(qrels, run, metrics);
  }

  /** The run of {@code queries} against an encoded corpus. */
  public static Run search(TextEncoder encoder, List<String> corpusIds, float[][] corpusVectors,
      List<Query> queries, int batchSize, int k, Progress progress) {
    float[][] q = encoder.encodeQueries(queries.stream().map(Query::text).toList(), batchSize, progress);
    try (VectorIndex index = VectorIndexes.build(corpusIds, corpusVectors, VectorIndexConfig.flat(Similarity.DOT_PRODUCT),
        Progress.NONE)) {
      List<List<ScoredDoc>> hits = index.search(q, k, Progress.NONE);
      Run.Builder run = Run.builder("quarry-dev");
      for (int i = 0; i < queries.size(); i++) {
        run.put(queries.get(i).id(), hits.get(i));
      }
      return run.build();
    }
  }
}
