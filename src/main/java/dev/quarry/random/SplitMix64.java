package dev.quarry.random;

/**
 * A small, fully specified pseudo-random generator (Steele, Lea and Flood's SplitMix64, as in
 * {@code java.util.SplittableRandom}), written out here so that every draw is pinned by this file and not by a JDK
 * version. Its whole state is one {@code long}: a generator rebuilt from {@link #state()} continues the same sequence.
 * Not thread-safe.
 */
public final class SplitMix64 {
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private long state;

  public SplitMix64(long seed) {
    this.state = seed;
  }

  /** The next 64 random bits. */
  public long nextLong() {
    state += GOLDEN_GAMMA;
    return mix64(state);
  }

  /** A uniform integer in {@code [0, bound)}, without modulo bias (Lemire's multiply-and-reject method). */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive; bound=" + bound);
    }
    long m = (nextLong() >>> 32) * bound;
    long low = m & 0xffffffffL;
    if (low < bound) {
      long threshold = (0x1_0000_0000L - bound) % bound;
      while (low < threshold) {
        m = (nextLong() >>> 32) * bound;
        low = m & 0xffffffffL;
      }
    }
    return (int) (m >>> 32);
  }

  /** A uniform double in {@code [0, 1)} with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Shuffles {@code values} in place (Fisher-Yates, from the last position down). */
  public void shuffle(int[] values) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      int t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
  }

  /** The generator's whole state: {@code new SplitMix64(state())} continues this sequence. */
  public long state() {
    return state;
  }

  /** SplitMix64's finalizer (Stafford's variant 13): a bijective mix of 64 bits. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
