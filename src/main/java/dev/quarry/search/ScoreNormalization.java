package dev.quarry.search;

/** How {@link WeightedScoreFusion} puts one run's scores for one query on a common scale before weighting them. */
public enum ScoreNormalization {
  /**
   * {@code (s - min) / (max - min)}, into [0, 1]. When every score is the same (one hit, or all tied) each becomes 1:
   * each is the run's best.
   */
  MIN_MAX {
    @Override
    double[] apply(double[] scores) {
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (double s : scores) {
        min = Math.min(min, s);
        max = Math.max(max, s);
      }
      double[] out = new double[scores.length];
      for (int i = 0; i < scores.length; i++) {
        out[i] = max == min ? 1.0 : (scores[i] - min) / (max - min);
      }
      return out;
    }
  },
  /**
   * {@code (s - mean) / sd}, with the population standard deviation. When every score is the same each becomes 0.
   * Note that a document a run did not retrieve contributes 0 too, which here is that run's mean.
   */
  Z_SCORE {
    @Override
    double[] apply(double[] scores) {
      double mean = 0;
      for (double s : scores) {
        mean += s;
      }
      mean /= scores.length;
      double variance = 0;
      for (double s : scores) {
        variance += (s - mean) * (s - mean);
      }
      double sd = Math.sqrt(variance / scores.length);
      double[] out = new double[scores.length];
      for (int i = 0; i < scores.length; i++) {
        out[i] = sd == 0 ? 0.0 : (scores[i] - mean) / sd;
      }
      return out;
    }
  };

  /** The normalized scores, in the same order; {@code scores} is not empty. */
  abstract double[] apply(double[] scores);
}
