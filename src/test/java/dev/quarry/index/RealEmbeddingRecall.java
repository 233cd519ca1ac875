package dev.quarry.index;

import dev.quarry.data.ScoredDoc;
import dev.quarry.util.Progress;
import dev.quarry.vectors.VectorReader;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * HNSW against exact search on real embeddings: recall@10 and queries per second for flat, HNSW and HNSW-int8 at
 * several efSearch values, from a corpus vectors artifact and a query vectors artifact (written by
 * {@code bin/quarry encode}). Not a test; run {@code bin/benchmark real-recall CORPUS_DIR QUERIES_DIR}.
 */
public final class RealEmbeddingRecall {
  private RealEmbeddingRecall() {
  }

  public static void main(String[] args) {
    int k = 10;
    try (VectorReader corpus = VectorReader.open(Path.of(args[0]));
        VectorReader queries = VectorReader.open(Path.of(args[1]))) {
      List<String> ids = corpus.ids();
      float[][] vectors = corpus.all();
      float[][] q = queries.all();
      System.out.printf(Locale.ROOT, "%,d corpus vectors x %d, %,d queries, k=%d%n", vectors.length,
          corpus.dimension(), q.length, k);
      try (VectorIndex flat = VectorIndexes.build(ids, vectors, VectorIndexConfig.flat(Similarity.DOT_PRODUCT),
          Progress.NONE)) {
        flat.search(q, k, Progress.NONE);
        long t0 = System.nanoTime();
        List<List<ScoredDoc>> truth = flat.search(q, k, Progress.NONE);
        double flatQps = q.length / ((System.nanoTime() - t0) / 1e9);
        System.out.printf(Locale.ROOT, "flat: %.0f queries/s%n", flatQps);
        for (boolean int8 : new boolean[] {false, true}) {
          for (int ef : new int[] {10, 50, 100, 200}) {
            HnswConfig config = new HnswConfig(16, 100, ef, int8);
            long b0 = System.nanoTime();
            try (VectorIndex hnsw = VectorIndexes.build(ids, vectors,
                VectorIndexConfig.hnsw(Similarity.DOT_PRODUCT, config), Progress.NONE)) {
              double build = (System.nanoTime() - b0) / 1e9;
              hnsw.search(q, k, Progress.NONE);
              long s0 = System.nanoTime();
              List<List<ScoredDoc>> approx = hnsw.search(q, k, Progress.NONE);
              double qps = q.length / ((System.nanoTime() - s0) / 1e9);
              System.out.printf(Locale.ROOT, "hnsw%s efSearch %d: recall@10 %.4f, %.0f queries/s (%.2fx flat), "
                  + "build %.1f s%n", int8 ? "-int8" : "", ef, recall(truth, approx), qps, qps / flatQps, build);
            }
          }
        }
      }
    }
  }

  static double recall(List<List<ScoredDoc>> truth, List<List<ScoredDoc>> approx) {
    double sum = 0;
    for (int i = 0; i < truth.size(); i++) {
      Set<String> t = new HashSet<>();
      truth.get(i).forEach(d -> t.add(d.docId()));
      sum += approx.get(i).stream().filter(d -> t.contains(d.docId())).count() / (double) t.size();
    }
    return sum / truth.size();
  }
}
