package dev.quarry.index;

/**
 * What {@link VectorIndexes#build} builds.
 *
 * @param type flat (exact) or HNSW (approximate)
 * @param similarity dot product or cosine
 * @param hnsw graph settings; used by {@link IndexType#HNSW} only
 * @param threads threads for batched search (and for nothing else), at least 1
 */
public record VectorIndexConfig(IndexType type, Similarity similarity, HnswConfig hnsw, int threads) {
  public VectorIndexConfig {
    if (type == null) {
      throw new IllegalArgumentException("type must be FLAT or HNSW");
    }
    if (similarity == null) {
      throw new IllegalArgumentException("similarity must be DOT_PRODUCT or COSINE");
    }
    if (hnsw == null) {
      throw new IllegalArgumentException("hnsw must not be null; use HnswConfig.DEFAULTS");
    }
    if (threads <= 0) {
      throw new IllegalArgumentException("threads must be positive; threads=" + threads);
    }
  }

  /** An exact index searched on all available processors. */
  public static VectorIndexConfig flat(Similarity similarity) {
    return new VectorIndexConfig(IndexType.FLAT, similarity, HnswConfig.DEFAULTS, defaultThreads());
  }

  /** An HNSW index searched on all available processors. */
  public static VectorIndexConfig hnsw(Similarity similarity, HnswConfig hnsw) {
    return new VectorIndexConfig(IndexType.HNSW, similarity, hnsw, defaultThreads());
  }

  /** The same settings with another thread count. */
  public VectorIndexConfig withThreads(int newThreads) {
    return new VectorIndexConfig(type, similarity, hnsw, newThreads);
  }

  private static int defaultThreads() {
    return Runtime.getRuntime().availableProcessors();
  }
}
