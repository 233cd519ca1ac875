package dev.quarry.train;

import dev.quarry.config.ConfigDefault;

/**
 * The {@code training.gradient_cache} section of a training config: gradient caching (Gao et al. 2021) encodes a
 * batch in chunks, so its memory no longer grows with the batch size while the loss and gradients stay those of the
 * full batch.
 *
 * @param enabled use gradient caching
 * @param chunkSize texts encoded per chunk; positive when enabled, 0 or positive otherwise
 */
public record GradientCacheConfig(@ConfigDefault("false") boolean enabled, @ConfigDefault("0") int chunkSize) {
  /** Gradient caching off. */
  public static final GradientCacheConfig DISABLED = new GradientCacheConfig(false, 0);

  public GradientCacheConfig {
    if (chunkSize < 0 || (enabled && chunkSize == 0)) {
      throw new IllegalArgumentException("training.gradient_cache.chunk_size must be positive when "
          + "training.gradient_cache.enabled is true; training.gradient_cache.chunk_size=" + chunkSize);
    }
  }
}
