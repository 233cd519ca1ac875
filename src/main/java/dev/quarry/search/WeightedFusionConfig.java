package dev.quarry.search;

import java.util.List;

/**
 * Settings of {@link WeightedScoreFusion}.
 *
 * @param weights one weight per run, in run order: finite, at least 0, not all 0
 * @param normalization how each run's scores for a query are normalized before weighting
 * @param depth hits read from each run per query (its best, in trec_eval's order), at least 1
 * @param k hits written per query, at least 1
 */
public record WeightedFusionConfig(List<Double> weights, ScoreNormalization normalization, int depth, int k) {
  public WeightedFusionConfig {
    if (weights == null || weights.isEmpty()) {
      throw new IllegalArgumentException("weights must name one weight per run");
    }
    weights = List.copyOf(weights);
    boolean positive = false;
    for (int i = 0; i < weights.size(); i++) {
      double w = weights.get(i);
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw new IllegalArgumentException("weight " + (i + 1) + " must be finite and >= 0; weight=" + w);
      }
      positive |= w > 0;
    }
    if (!positive) {
      throw new IllegalArgumentException("at least one weight must be positive; weights=" + weights);
    }
    if (normalization == null) {
      throw new IllegalArgumentException("normalization must be MIN_MAX or Z_SCORE");
    }
    FusionRuns.checkDepthAndK(depth, k);
  }

  /** Equal weights for {@code runs} runs, min-max normalization, depth and k 1000. */
  public static WeightedFusionConfig equalWeights(int runs) {
    return new WeightedFusionConfig(java.util.Collections.nCopies(runs, 1.0 / runs), ScoreNormalization.MIN_MAX,
        1000, 1000);
  }
}
