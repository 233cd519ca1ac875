package dev.quarry.index;

import dev.quarry.data.ScoredDoc;
import dev.quarry.util.Progress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How many of the true top {@code k} an approximate index finds: per query, the share of the truth's top {@code k}
 * ids that are also in the approximate top {@code k}, then the mean (and worst) over queries. Because every index
 * breaks ties the same way, an exact index measured against itself scores exactly 1.
 *
 * @param k hits compared per query
 * @param queries number of queries
 * @param mean mean recall over queries, in [0, 1]
 * @param min the worst query's recall
 */
public record RecallAtK(int k, int queries, double mean, double min) {
  /** Measures {@code approx} against {@code truth} (usually a {@link FlatVectorIndex}) on {@code queries}. */
  public static RecallAtK of(VectorIndex truth, VectorIndex approx, float[][] queries, int k) {
    return of(truth, approx, queries, k, Progress.NONE);
  }

  /** As {@link #of(VectorIndex, VectorIndex, float[][], int)}, reporting the two batched searches. */
  public static RecallAtK of(VectorIndex truth, VectorIndex approx, float[][] queries, int k, Progress progress) {
    if (queries.length == 0) {
      throw new IllegalArgumentException("recall needs at least one query");
    }
    return of(truth.search(queries, k, progress), approx.search(queries, k, progress), k);
  }

  /**
   * Recall of rankings already computed: {@code found.get(q)} against {@code expected.get(q)}, each cut to its best
   * {@code k} (the lists are best first, as {@link VectorIndex} returns them).
   */
  public static RecallAtK of(List<List<ScoredDoc>> expected, List<List<ScoredDoc>> found, int k) {
    if (expected.size() != found.size()) {
      throw new IllegalArgumentException(
          "recall needs one ranking per query on both sides; " + expected.size() + " vs " + found.size());
    }
    if (expected.isEmpty()) {
      throw new IllegalArgumentException("recall needs at least one query");
    }
    VectorChecks.checkK(k);
    double sum = 0;
    double min = 1;
    for (int q = 0; q < expected.size(); q++) {
      Set<String> want = new HashSet<>();
      top(expected.get(q), k).forEach(d -> want.add(d.docId()));
      if (want.isEmpty()) {
        sum += 1;   // nothing to find: nothing missed
        continue;
      }
      int hit = 0;
      for (ScoredDoc d : top(found.get(q), k)) {
        if (want.contains(d.docId())) {
          hit++;
        }
      }
      double recall = (double) hit / want.size();
      sum += recall;
      min = Math.min(min, recall);
    }
    return new RecallAtK(k, expected.size(), sum / expected.size(), min);
  }

  private static List<ScoredDoc> top(List<ScoredDoc> ranking, int k) {
    return ranking.size() > k ? ranking.subList(0, k) : ranking;
  }
}
