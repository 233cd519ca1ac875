package dev.quarry.eval;

/**
 * How runs are judged, with trec_eval's switches.
 *
 * @param relevanceLevel judged relevance at or above which a document counts as relevant for binary measures
 *     (trec_eval {@code -l}, default 1); nDCG always uses the graded values, as trec_eval does
 * @param complete average over every query of the qrels, a query with no ranking scoring 0 (trec_eval {@code -c},
 *     Quarry's default); when false, only queries present in both run and qrels are averaged
 * @param maxRetrieved documents per query kept after sorting (trec_eval {@code -M}); the rest are ignored
 */
public record EvalConfig(int relevanceLevel, boolean complete, int maxRetrieved) {
  /** trec_eval {@code -c} with its other defaults. */
  public static final EvalConfig DEFAULT = new EvalConfig(1, true, Integer.MAX_VALUE);

  public EvalConfig {
    if (relevanceLevel < 0) {
      throw new IllegalArgumentException("relevanceLevel must be 0 or more; relevanceLevel=" + relevanceLevel);
    }
    if (maxRetrieved <= 0) {
      throw new IllegalArgumentException("maxRetrieved must be positive; maxRetrieved=" + maxRetrieved);
    }
  }
}
