package dev.quarry.train;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * Clipping of gradients by their global L2 norm, as PyTorch's {@code torch.nn.utils.clip_grad_norm_} does: the norm
 * of the per-tensor norms, and a scale of {@code maxNorm / (norm + 1e-6)} applied only when it is below 1.
 */
public final class GradientClipping {
  /** Added to the norm before dividing, as PyTorch does. */
  public static final double EPSILON = 1e-6;

  private GradientClipping() {
  }

  /** The L2 norm of all gradients taken together. */
  public static double globalNorm(Map<String, NDArray> gradients) {
    double sumOfSquares = 0;
    for (NDArray g : gradients.values()) {
      try (NDArray norm = g.norm()) {
        double n = norm.getFloat();   // per-tensor norms in float32, as PyTorch computes them
        sumOfSquares += n * n;
      }
    }
    return Math.sqrt(sumOfSquares);
  }

  /**
   * Scales the gradients in place so their global norm is at most {@code maxNorm}, and returns the norm they had
   * before. A non-finite norm (an overflowed or NaN gradient) leaves them unchanged, so the caller can skip the step.
   *
   * @param maxNorm positive
   */
  public static double clipByGlobalNorm(Map<String, NDArray> gradients, double maxNorm) {
    if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
      throw new IllegalArgumentException("maxNorm must be positive; maxNorm=" + maxNorm);
    }
    double total = globalNorm(gradients);
    if (!Double.isFinite(total)) {
      return total;
    }
    double scale = maxNorm / (total + EPSILON);
    if (scale < 1) {
      for (NDArray g : gradients.values()) {
        g.muli((float) scale);
      }
    }
    return total;
  }
}
