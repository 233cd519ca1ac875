package dev.quarry.train;

import dev.quarry.model.Torch;

/**
 * Dropout that a gradient cache can replay: before each forward pass of a chunk, the engine's generator is seeded from
 * the step's dropout seed ({@link dev.quarry.random.TrainingSeeds#dropoutSeed}), the side (which tower or head) and the
 * chunk, so the second pass (with gradients) draws exactly the masks of the first (without). Every gradient-cached
 * step uses this one derivation.
 */
public final class DropoutReplay {
  private DropoutReplay() {
  }

  /** Seeds the engine's generator for chunk {@code chunk} of side {@code side} of the step seeded {@code seed}. */
  public static void seed(long seed, int side, int chunk) {
    long mixed = seed * 0x9E3779B97F4A7C15L + side * 0xBF58476D1CE4E5B9L + chunk * 0x94D049BB133111EBL;
    Torch.seedEngine(mixed);
  }
}
