package dev.quarry.mine;

/** Which candidates count as positives, and which may never become negatives. */
public enum PositiveRule {
  /**
   * Positives are the documents judged with relevance {@code >= 1}. A candidate judged relevant is never a negative;
   * one judged 0 (or below) may be.
   */
  QRELS,
  /**
   * DPR's rule for QA data: positives are still the judged-relevant documents (DPR trains on the gold paragraph), and
   * in addition a candidate whose text contains one of the query's answers ({@link dev.quarry.eval.DprAnswerMatcher},
   * text only, not title) is never a negative. Needs a dataset with answers (SQuAD, DPR).
   */
  ANSWERS
}
