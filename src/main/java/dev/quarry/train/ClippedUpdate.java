package dev.quarry.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * The end of every training step: read the gradient buffers, clip them to a global norm, and let AdamW update the
 * weights, unless the gradient or the loss is not finite: then the weights are left as they are (one NaN would
 * turn every weight into NaN) and the step counts as skipped.
 */
final class ClippedUpdate {
  private final AdamW optimizer;
  private final Map<String, NDArray> parameters;
  private final double maxGradNorm;
  private long skipped;

  ClippedUpdate(AdamW optimizer, Map<String, NDArray> parameters, double maxGradNorm) {
    this.optimizer = optimizer;
    this.parameters = parameters;
    this.maxGradNorm = maxGradNorm;
  }

  /**
   * Applies the step's gradients at {@code learningRate}, scaled per parameter by {@code scales}
   * ({@link AdamW#step(Map, double, Map)}); returns the gradient norm (of all parameters) before clipping.
   */
  double apply(NDManager parent, float loss, double learningRate, Map<String, Double> scales) {
    try (NDManager scope = parent.newSubManager()) {
      Map<String, NDArray> grads = GradientBuffers.of(parameters, scope);
      double norm = maxGradNorm > 0 ? GradientClipping.clipByGlobalNorm(grads, maxGradNorm)
          : GradientClipping.globalNorm(grads);
      if (Double.isFinite(norm) && Float.isFinite(loss)) {
        optimizer.step(grads, learningRate, scales);
      } else {
        skipped++;
      }
      return norm;
    }
  }

  /** Steps skipped so far in this process. */
  long skipped() {
    return skipped;
  }
}
