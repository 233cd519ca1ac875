package dev.quarry.mine;

/**
 * Settings of {@link NegativeMiner}.
 *
 * @param source the name written as {@code source} of each negative taken from the run, for example {@code bm25} or
 *     {@code dense}; not blank, and not {@value #RANDOM_SOURCE}, which marks random negatives
 * @param from the best rank a negative may come from, 1-based, at least 1
 * @param to the worst rank a negative may come from, inclusive, at least {@code from}
 * @param negatives how many negatives to sample per query from the run's ranks {@code from..to}, at least 0
 * @param randomNegatives how many negatives to sample per query from the whole corpus, at least 0
 * @param seed the seed every query's random stream is derived from ({@link QuerySeeds})
 * @param positiveRule what counts as a positive and what may never be a negative
 */
public record MiningConfig(String source, int from, int to, int negatives, int randomNegatives, long seed,
    PositiveRule positiveRule) {
  /** The {@code source} of negatives drawn from the whole corpus. */
  public static final String RANDOM_SOURCE = "random";

  public MiningConfig {
    if (source == null || source.isBlank()) {
      throw new IllegalArgumentException("source must be a non-blank name such as bm25; source=" + source);
    }
    if (source.equals(RANDOM_SOURCE)) {
      throw new IllegalArgumentException("source must not be \"" + RANDOM_SOURCE
          + "\", which marks negatives drawn from the whole corpus");
    }
    if (from < 1) {
      throw new IllegalArgumentException("from must be >= 1 (ranks are 1-based); from=" + from);
    }
    if (to < from) {
      throw new IllegalArgumentException("to must be >= from; from=" + from + ", to=" + to);
    }
    if (negatives < 0) {
      throw new IllegalArgumentException("negatives must be >= 0; negatives=" + negatives);
    }
    if (randomNegatives < 0) {
      throw new IllegalArgumentException("randomNegatives must be >= 0; randomNegatives=" + randomNegatives);
    }
    if (negatives == 0 && randomNegatives == 0) {
      throw new IllegalArgumentException("negatives and randomNegatives are both 0; ask for at least one negative");
    }
    if (positiveRule == null) {
      throw new IllegalArgumentException("positiveRule must be QRELS or ANSWERS");
    }
  }

  /** {@code source} with ranks 1..30, one negative per query, no random ones, seed 13, the QRELS rule. */
  public static MiningConfig defaults(String source) {
    return new MiningConfig(source, 1, 30, 1, 0, 13, PositiveRule.QRELS);
  }
}
