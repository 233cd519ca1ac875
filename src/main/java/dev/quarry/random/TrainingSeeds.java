package dev.quarry.random;


/**
 * Every random choice of a training run derives from one seed and the coordinates of the choice: a purpose, the
 * epoch, the step (and, if needed, a further index such as a gradient-cache chunk). Nothing carries generator state
 * from one step to the next, so a run resumed from a checkpoint (which stores the seed, epoch, step and position in
 * the epoch) makes exactly the choices the uninterrupted run would have made.
 *
 * <p>A derived seed is SplitMix64's finalizer applied over the seed, the purpose and each coordinate in turn
 * ({@link #SCHEME}); changing this derivation must change {@link #SCHEME}, which checkpoints record.
 *
 * @param seed the run's seed ({@code training.seed})
 */
public record TrainingSeeds(long seed) {
  /** The name of the derivation, stored in checkpoints so a resumed run can refuse a different one. */
  public static final String SCHEME = "splitmix64-v1";

  /** The seed for {@code purpose} at the given coordinates (for example epoch, or step and chunk). */
  public long derive(RandomPurpose purpose, long... coordinates) {
    long h = SplitMix64.mix64(seed ^ 0x5175617272795472L);   // "QuarryTr"
    h = SplitMix64.mix64(h + 0x9e3779b97f4a7c15L * purpose.id());
    for (long c : coordinates) {
      h = SplitMix64.mix64(h ^ SplitMix64.mix64(c + 0x632be59bd9b4e019L));
    }
    return h;
  }

  /** A generator for {@code purpose} at the given coordinates. */
  public SplitMix64 generator(RandomPurpose purpose, long... coordinates) {
    return new SplitMix64(derive(purpose, coordinates));
  }

  /** The seed of an epoch's data order (what checkpoints store as the data-order seed). */
  public long dataOrderSeed(int epoch) {
    return derive(RandomPurpose.DATA_ORDER, epoch);
  }

  /** The order of {@code size} training items in {@code epoch}: a permutation of {@code 0 .. size-1}. */
  public int[] dataOrder(int size, int epoch) {
    int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    new SplitMix64(dataOrderSeed(epoch)).shuffle(order);
    return order;
  }

  /**
   * The seed of optimizer step {@code step} (1-based) for the engine's generator: dropout in the forward passes,
   * replayed identically by gradient caching ({@code ContrastiveStep} derives its per-chunk seeds from it).
   */
  public long dropoutSeed(long step) {
    return derive(RandomPurpose.DROPOUT, step);
  }
}
