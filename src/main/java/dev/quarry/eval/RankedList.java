package dev.quarry.eval;

import dev.quarry.data.ScoredDoc;
import dev.quarry.data.TrecOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One query's ranking in trec_eval's order, joined with its judgments. The order is trec_eval 9.0.x's: scores
 * compared as 32-bit floats, descending; ties broken by document id descending in byte (code point) order; the rank
 * column of the file plays no part. Only the top {@code maxRetrieved} are kept.
 */
final class RankedList {
  /** Relevance of each retrieved document in rank order; {@link #UNJUDGED} where the qrels do not judge it. */
  final int[] relevance;
  /** The retrieved document ids in rank order. */
  final List<String> docIds;
  /** Judged documents with relevance at or above the binary threshold (trec_eval's num_rel). */
  final int numRelevant;
  /** Gains (positive relevance values) of all judged documents, descending: the ideal ranking for nDCG. */
  final int[] idealGains;

  static final int UNJUDGED = Integer.MIN_VALUE;

  private RankedList(int[] relevance, List<String> docIds, int numRelevant, int[] idealGains) {
    this.relevance = relevance;
    this.docIds = docIds;
    this.numRelevant = numRelevant;
    this.idealGains = idealGains;
  }

  static RankedList of(List<ScoredDoc> retrieved, Map<String, Integer> judgments, int relevanceLevel,
      int maxRetrieved) {
    List<ScoredDoc> sorted = new ArrayList<>(retrieved);
    sorted.sort(TrecOrder.BEST_FIRST);
    int n = Math.min(sorted.size(), maxRetrieved);
    int[] relevance = new int[n];
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String id = sorted.get(i).docId();
      ids.add(id);
      relevance[i] = judgments.getOrDefault(id, UNJUDGED);
    }
    int numRelevant = (int) judgments.values().stream().filter(r -> r >= relevanceLevel && r >= 0).count();
    int[] ideal = judgments.values().stream().filter(r -> r > 0)
        .sorted(Comparator.reverseOrder()).mapToInt(Integer::intValue).toArray();
    return new RankedList(relevance, List.copyOf(ids), numRelevant, ideal);
  }

  /** Whether the document at 0-based position {@code i} is relevant at the given level (never if unjudged or negative). */
  boolean isRelevant(int i, int relevanceLevel) {
    int r = relevance[i];
    return r != UNJUDGED && r >= 0 && r >= relevanceLevel;
  }

  int size() {
    return relevance.length;
  }
}
