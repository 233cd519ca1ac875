package dev.quarry.mine;

/**
 * What a {@link NegativeMiner} run did.
 *
 * @param queriesWritten groups written (queries with at least one positive)
 * @param skippedWithoutPositives queries left out because none of their judgments has relevance {@code >= 1}
 * @param withoutCandidates written queries the run has no ranking for; they got random negatives only
 * @param shortOfNegatives written queries the run ranks, but with fewer eligible candidates in the rank range than
 *     the negatives asked for; they got all there were
 * @param hardNegatives negatives taken from the run, over all groups
 * @param randomNegatives negatives drawn from the whole corpus, over all groups
 * @param droppedJudgedRelevant candidates in the rank range left out because they were judged relevant
 *     (relevance {@code >= 1}, which makes them the query's positives)
 * @param droppedContainingAnswer candidates in the rank range, not judged relevant, left out because their text
 *     contains an answer ({@link PositiveRule#ANSWERS} only)
 */
public record MiningReport(int queriesWritten, int skippedWithoutPositives, int withoutCandidates,
    int shortOfNegatives, long hardNegatives, long randomNegatives, long droppedJudgedRelevant,
    long droppedContainingAnswer) {

  /** Negatives (from the run and random) per written group; 0 when none was written. */
  public double meanNegativesPerQuery() {
    return queriesWritten == 0 ? 0 : (double) (hardNegatives + randomNegatives) / queriesWritten;
  }
}
