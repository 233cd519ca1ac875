package dev.quarry.train;

/**
 * The learning-rate schedule of Hugging Face's {@code get_linear_schedule_with_warmup}: a linear rise from 0 to the
 * peak over the warmup steps, then a linear fall to 0 at the last step. The multiplier at 0-based step {@code s} is
 * {@code s / max(1, warmup)} while {@code s < warmup}, else {@code max(0, (total - s) / max(1, total - warmup))}.
 *
 * <p>Steps are indexed as Hugging Face's trainer indexes them: the {@code k}-th optimizer update (1-based) runs with
 * {@code learningRate(k - 1)}, so with warmup the first update has learning rate 0.
 *
 * @param peakLearningRate the learning rate at the end of warmup; positive
 * @param warmupSteps steps of warmup, in [0, totalSteps]
 * @param totalSteps optimizer steps in the whole run; positive
 */
public record LinearWarmupDecay(double peakLearningRate, int warmupSteps, int totalSteps) {

  public LinearWarmupDecay {
    if (!(peakLearningRate > 0) || Double.isInfinite(peakLearningRate)) {
      throw new IllegalArgumentException("peakLearningRate must be positive; peakLearningRate=" + peakLearningRate);
    }
    if (totalSteps <= 0) {
      throw new IllegalArgumentException("totalSteps must be positive; totalSteps=" + totalSteps);
    }
    if (warmupSteps < 0 || warmupSteps > totalSteps) {
      throw new IllegalArgumentException("warmupSteps must be in [0, totalSteps]; warmupSteps=" + warmupSteps
          + " totalSteps=" + totalSteps);
    }
  }

  /**
   * The schedule with {@code ceil(totalSteps * warmupRatio)} warmup steps, as Hugging Face's
   * {@code TrainingArguments.get_warmup_steps} computes it (in doubles, so {@code 100 * 0.07} gives 8, as in Python).
   *
   * @param warmupRatio in [0, 1]
   */
  public static LinearWarmupDecay withWarmupRatio(double peakLearningRate, int totalSteps, double warmupRatio) {
    if (!(warmupRatio >= 0 && warmupRatio <= 1)) {
      throw new IllegalArgumentException("warmupRatio must be in [0, 1]; warmupRatio=" + warmupRatio);
    }
    return new LinearWarmupDecay(peakLearningRate, (int) Math.ceil(totalSteps * warmupRatio), totalSteps);
  }

  /** The factor on the peak at 0-based step {@code step}; 0 from {@code totalSteps} on. */
  public double multiplier(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must not be negative; step=" + step);
    }
    if (step < warmupSteps) {
      return (double) step / Math.max(1, warmupSteps);
    }
    return Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
  }

  /** The learning rate at 0-based step {@code step}. */
  public double learningRate(long step) {
    return peakLearningRate * multiplier(step);
  }
}
