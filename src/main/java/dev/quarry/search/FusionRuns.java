package dev.quarry.search;

import dev.quarry.data.TrecOrder;

import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What both fusion methods share: reading runs in trec_eval's order and writing the fused rankings. */
final class FusionRuns {
  private FusionRuns() {
  }

  static void checkDepthAndK(int depth, int k) {
    if (depth <= 0) {
      throw new IllegalArgumentException("depth must be positive; depth=" + depth);
    }
    if (k <= 0) {
      throw new IllegalArgumentException("k must be positive; k=" + k);
    }
  }

  static void checkRuns(List<Run> runs) {
    if (runs == null || runs.isEmpty()) {
      throw new IllegalArgumentException("fusion needs at least one run");
    }
  }

  /** Every query of any run, in first-seen order, run by run. */
  static Set<String> queryIds(List<Run> runs) {
    Set<String> ids = new LinkedHashSet<>();
    runs.forEach(r -> ids.addAll(r.queryIds()));
    return ids;
  }

  /** A run's best {@code depth} hits for a query, in trec_eval's order (rank i + 1 at index i). */
  static List<ScoredDoc> top(Run run, String queryId, int depth) {
    List<ScoredDoc> sorted = TrecOrder.sorted(run.docs(queryId));
    return sorted.size() > depth ? sorted.subList(0, depth) : sorted;
  }

  /** The fused scores as a ranking: trec_eval's order, the best {@code k}. */
  static List<ScoredDoc> ranking(Map<String, Double> scores, int k) {
    List<ScoredDoc> docs = new ArrayList<>(scores.size());
    scores.forEach((id, s) -> docs.add(new ScoredDoc(id, s)));
    docs.sort(TrecOrder.BEST_FIRST);
    return docs.size() > k ? docs.subList(0, k) : docs;
  }
}
