package dev.quarry.train;

import dev.quarry.config.ConfigDefault;

/**
 * The {@code training} section of a trainer without a contrastive loss over embeddings (a reader; a cross-encoder's
 * adds its loss): the keys of DPR training but the temperature and the gradient cache, checked where
 * {@link TrainingConfig} defines them.
 */
public record LoopSection(int epochs, int batchSize, double learningRate, double warmupRatio,
    @ConfigDefault("0.01") double weightDecay, @ConfigDefault("1.0") double maxGradNorm, long seed,
    int checkpointEvery, @ConfigDefault("every_epoch") DevEvaluation devEvaluation) {
  public LoopSection {
    loop(epochs, batchSize, learningRate, warmupRatio, weightDecay, maxGradNorm, seed, checkpointEvery,
        devEvaluation);
  }

  /** The training loop's settings. */
  public TrainingConfig loop() {
    return loop(epochs, batchSize, learningRate, warmupRatio, weightDecay, maxGradNorm, seed, checkpointEvery,
        devEvaluation);
  }

  private static TrainingConfig loop(int epochs, int batchSize, double learningRate, double warmupRatio,
      double weightDecay, double maxGradNorm, long seed, int checkpointEvery, DevEvaluation devEvaluation) {
    // the temperature is the contrastive loss's, which these trainers do not have; its default only fills the record
    return new TrainingConfig(epochs, batchSize, learningRate, warmupRatio, weightDecay, maxGradNorm, 0.05, seed,
        GradientCacheConfig.DISABLED, checkpointEvery, devEvaluation);
  }
}
