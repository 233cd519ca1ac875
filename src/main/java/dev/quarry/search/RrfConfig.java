package dev.quarry.search;

/**
 * Settings of {@link ReciprocalRankFusion}. Defaults: rank constant 60 (Cormack et al. 2009), 1000 hits read per run
 * and written per query.
 *
 * @param rankConstant the {@code k} of {@code 1 / (k + rank)}, at least 0
 * @param depth hits read from each run per query (its best, in trec_eval's order), at least 1
 * @param k hits written per query, at least 1
 */
public record RrfConfig(int rankConstant, int depth, int k) {
  public static final RrfConfig DEFAULTS = new RrfConfig(60, 1000, 1000);

  public RrfConfig {
    if (rankConstant < 0) {
      throw new IllegalArgumentException("rankConstant must be >= 0; rankConstant=" + rankConstant);
    }
    FusionRuns.checkDepthAndK(depth, k);
  }
}
