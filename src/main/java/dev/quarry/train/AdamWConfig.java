package dev.quarry.train;

/**
 * Settings of {@link AdamW}, with PyTorch's defaults in {@link #withWeightDecay(double)}: betas 0.9 and 0.999,
 * epsilon 1e-8.
 *
 * @param beta1 decay of the first-moment (mean) estimate, in [0, 1)
 * @param beta2 decay of the second-moment (uncentered variance) estimate, in [0, 1)
 * @param epsilon added to the denominator for numerical stability; positive
 * @param weightDecay decoupled weight decay; 0 or more (multiplied by the step's learning rate, as PyTorch does)
 */
public record AdamWConfig(double beta1, double beta2, double epsilon, double weightDecay) {

  public AdamWConfig {
    if (!(beta1 >= 0 && beta1 < 1)) {
      throw new IllegalArgumentException("beta1 must be in [0, 1); beta1=" + beta1);
    }
    if (!(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("beta2 must be in [0, 1); beta2=" + beta2);
    }
    if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be positive; epsilon=" + epsilon);
    }
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("weightDecay must not be negative; weightDecay=" + weightDecay);
    }
  }

  /** PyTorch's defaults (betas 0.9 and 0.999, epsilon 1e-8) with the given weight decay. */
  public static AdamWConfig withWeightDecay(double weightDecay) {
    return new AdamWConfig(0.9, 0.999, 1e-8, weightDecay);
  }
}
