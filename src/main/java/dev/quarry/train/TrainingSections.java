package dev.quarry.train;

import dev.quarry.config.ConfigSection;
import java.util.List;

/**
 * Reads the config sections every trainer shares: {@code training} ({@link TrainingConfig}) and the {@code dev} carve
 * of a {@code data} section ({@link DevSplitConfig}). A recipe's own loader reads the rest of its file.
 */
public final class TrainingSections {
  /** The keys of a {@code training} section. */
  public static final List<String> TRAINING_KEYS = List.of("epochs", "batch_size", "learning_rate", "warmup_ratio",
      "weight_decay", "max_grad_norm", "temperature", "seed", "gradient_cache", "checkpoint_every",
      "dev_evaluation");
  private static final List<String> DEV = List.of("queries", "seed");
  private static final List<String> GRADIENT_CACHE = List.of("enabled", "chunk_size");

  private TrainingSections() {
  }

  /** The optional {@code dev} section of a {@code data} section. */
  public static DevSplitConfig devSplit(ConfigSection data) {
    ConfigSection dev = data.optionalSection("dev", DEV);
    return dev == null ? DevSplitConfig.DEFAULTS : new DevSplitConfig(
        dev.optionalInt("queries", DevSplitConfig.DEFAULTS.queries()),
        dev.optionalLong("seed", DevSplitConfig.DEFAULTS.seed()));
  }

  /** The {@code training} section every trainer shares. */
  public static TrainingConfig training(ConfigSection s) {
    ConfigSection cache = s.optionalSection("gradient_cache", GRADIENT_CACHE);
    GradientCacheConfig gradientCache = GradientCacheConfig.DISABLED;
    if (cache != null) {
      boolean enabled = cache.optionalBoolean("enabled", false);
      int chunkSize = enabled ? cache.requiredInt("chunk_size") : cache.optionalInt("chunk_size", 0);
      gradientCache = new GradientCacheConfig(enabled, chunkSize);
    }
    return new TrainingConfig(s.requiredInt("epochs"), s.requiredInt("batch_size"), s.requiredDouble("learning_rate"),
        s.requiredDouble("warmup_ratio"), s.optionalDouble("weight_decay", TrainingConfig.DEFAULT_WEIGHT_DECAY),
        s.optionalDouble("max_grad_norm", TrainingConfig.DEFAULT_MAX_GRAD_NORM),
        s.optionalDouble("temperature", TrainingConfig.DEFAULT_TEMPERATURE), s.requiredLong("seed"), gradientCache,
        s.requiredInt("checkpoint_every"),
        s.optionalEnum("dev_evaluation", DevEvaluation.class, DevEvaluation.EVERY_EPOCH));
  }
}
