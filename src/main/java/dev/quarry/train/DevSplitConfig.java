package dev.quarry.train;

import dev.quarry.config.ConfigDefault;

/**
 * The {@code data.dev} section of a training config: how many training queries are held out as a dev split, and
 * the seed of the rule that picks them. The defaults (100 queries, seed 13) are {@link #DEFAULTS}.
 *
 * @param queries the number of training queries held out; 0 for no dev split
 * @param seed the seed that picks them
 */
public record DevSplitConfig(@ConfigDefault("100") int queries, @ConfigDefault("13") long seed) {
  /** 100 queries, seed 13. */
  public static final DevSplitConfig DEFAULTS = new DevSplitConfig(100, 13);

  public DevSplitConfig {
    if (queries < 0) {
      throw new IllegalArgumentException("data.dev.queries must not be negative; data.dev.queries=" + queries);
    }
  }
}
