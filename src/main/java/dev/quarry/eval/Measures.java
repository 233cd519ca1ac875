package dev.quarry.eval;

/**
 * The formulas, as trec_eval 9.0.x computes them (file names are trec_eval's sources). {@code R} is the number of
 * judged documents at or above the relevance level; an unjudged or negatively judged document is never relevant.
 */
final class Measures {
  private Measures() {
  }

  static double compute(Metric metric, RankedList list, int level, boolean[] answerHits) {
    int k = metric.cutoff();
    return switch (metric.kind()) {
      case NDCG -> ndcg(list, k == 0 ? Integer.MAX_VALUE : k);
      case RECALL -> recall(list, level, k == 0 ? Integer.MAX_VALUE : k);
      case PRECISION -> precision(list, level, k);
      case MAP -> averagePrecision(list, level, k == 0 ? Integer.MAX_VALUE : k);
      case MRR -> reciprocalRank(list, level, k == 0 ? Integer.MAX_VALUE : k);
      case RPREC -> rPrecision(list, level);
      case ACCURACY -> accuracy(answerHits, k);
    };
  }

  /** m_ndcg_cut.c: DCG of positive gains over the top k, log2(rank + 1) discount, over the ideal DCG of the top k. */
  static double ndcg(RankedList list, int k) {
    double dcg = 0;
    for (int i = 0; i < Math.min(k, list.size()); i++) {
      int r = list.relevance[i];
      if (r != RankedList.UNJUDGED && r > 0) {
        dcg += r / log2(i + 2);
      }
    }
    double ideal = 0;
    for (int i = 0; i < Math.min(k, list.idealGains.length); i++) {
      ideal += list.idealGains[i] / log2(i + 2);
    }
    return ideal == 0 ? 0 : dcg / ideal;
  }

  /** m_recall.c: relevant in the top k over R; 0 when R is 0. */
  static double recall(RankedList list, int level, int k) {
    return list.numRelevant == 0 ? 0 : (double) relevantInTop(list, level, k) / list.numRelevant;
  }

  /** m_P.c: relevant in the top k over k, a short list counting as padded with non-relevant documents. */
  static double precision(RankedList list, int level, int k) {
    return (double) relevantInTop(list, level, k) / k;
  }

  /** m_map.c and m_map_cut.c: the sum of precision at each relevant rank within the top k, over R. */
  static double averagePrecision(RankedList list, int level, int k) {
    if (list.numRelevant == 0) {
      return 0;
    }
    double sum = 0;
    int found = 0;
    for (int i = 0; i < Math.min(k, list.size()); i++) {
      if (list.isRelevant(i, level)) {
        sum += (double) ++found / (i + 1);
      }
    }
    return sum / list.numRelevant;
  }

  /** m_recip_rank.c: 1 / rank of the first relevant document within the top k, else 0. */
  static double reciprocalRank(RankedList list, int level, int k) {
    for (int i = 0; i < Math.min(k, list.size()); i++) {
      if (list.isRelevant(i, level)) {
        return 1.0 / (i + 1);
      }
    }
    return 0;
  }

  /** m_Rprec.c: relevant within the top min(retrieved, R), over R. */
  static double rPrecision(RankedList list, int level) {
    int n = Math.min(list.size(), list.numRelevant);
    return n == 0 ? 0 : (double) relevantInTop(list, level, n) / list.numRelevant;
  }

  /** DPR's top-k accuracy: 1 when a passage in the top k contains an answer. */
  static double accuracy(boolean[] answerHits, int k) {
    if (answerHits == null) {
      throw new IllegalStateException("accuracy needs answer strings, and this query has none");
    }
    for (int i = 0; i < Math.min(k, answerHits.length); i++) {
      if (answerHits[i]) {
        return 1;
      }
    }
    return 0;
  }

  private static int relevantInTop(RankedList list, int level, int k) {
    int count = 0;
    for (int i = 0; i < Math.min(k, list.size()); i++) {
      if (list.isRelevant(i, level)) {
        count++;
      }
    }
    return count;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
