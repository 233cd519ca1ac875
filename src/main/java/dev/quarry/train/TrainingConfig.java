package dev.quarry.train;

import dev.quarry.config.ConfigDefault;
import dev.quarry.config.ConfigValues;
import dev.quarry.random.TrainingSeeds;

/**
 * The {@code training} section of a training config: optimization, schedule, loss temperature, randomness and
 * checkpointing.
 *
 * @param epochs passes over the training queries; positive
 * @param batchSize queries per optimizer step; positive
 * @param learningRate the peak learning rate of AdamW; positive
 * @param warmupRatio the fraction of all steps spent warming the learning rate up from 0, in [0, 1)
 * @param weightDecay AdamW's decoupled weight decay (not applied to biases and LayerNorm weights); 0 or more
 * @param maxGradNorm clip gradients to this global L2 norm; 0 or less disables clipping
 * @param temperature the contrastive loss divides similarities by it (0.05 is a scale of 20); positive
 * @param seed every random choice of the run derives from it ({@link TrainingSeeds})
 * @param gradientCache gradient caching settings
 * @param checkpointEvery save a checkpoint every this many optimizer steps; positive
 * @param devEvaluation when the dev split is scored, and so which epoch is exported
 */
public record TrainingConfig(int epochs, int batchSize, double learningRate, double warmupRatio,
    @ConfigDefault("0.01") double weightDecay, @ConfigDefault("1.0") double maxGradNorm,
    @ConfigDefault("0.05") double temperature, long seed, GradientCacheConfig gradientCache, int checkpointEvery,
    @ConfigDefault("every_epoch") DevEvaluation devEvaluation) {

  public TrainingConfig {
    positive("training.epochs", epochs);
    positive("training.batch_size", batchSize);
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("training.learning_rate must be positive; training.learning_rate="
          + ConfigValues.show(learningRate));
    }
    if (!(warmupRatio >= 0 && warmupRatio < 1)) {
      throw new IllegalArgumentException("training.warmup_ratio must be in [0, 1); training.warmup_ratio="
          + ConfigValues.show(warmupRatio));
    }
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("training.weight_decay must not be negative; training.weight_decay="
          + ConfigValues.show(weightDecay));
    }
    if (!Double.isFinite(maxGradNorm)) {
      throw new IllegalArgumentException("training.max_grad_norm must be a finite number (0 or less disables "
          + "clipping); training.max_grad_norm=" + ConfigValues.show(maxGradNorm));
    }
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("training.temperature must be positive; training.temperature="
          + ConfigValues.show(temperature));
    }
    if (gradientCache == null) {
      throw new IllegalArgumentException("training.gradient_cache must not be null");
    }
    positive("training.checkpoint_every", checkpointEvery);
    if (devEvaluation == null) {
      throw new IllegalArgumentException("training.dev_evaluation must not be null");
    }
  }

  private static void positive(String key, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be positive; " + key + "=" + value);
    }
  }

  /** Whether gradients are clipped ({@code maxGradNorm > 0}). */
  public boolean clipsGradients() {
    return maxGradNorm > 0;
  }
}
