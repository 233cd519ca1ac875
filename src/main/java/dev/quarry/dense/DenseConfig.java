package dev.quarry.dense;

import dev.quarry.index.HnswConfig;
import dev.quarry.index.IndexType;
import dev.quarry.model.InferenceEngine;
import java.nio.file.Path;

/**
 * Settings of a dense retrieval run.
 *
 * @param model a bundled model name or a model directory
 * @param index flat (exact) or HNSW
 * @param hnsw HNSW settings, used when {@code index} is HNSW
 * @param k hits per query
 * @param batchSize texts per forward pass
 * @param cacheRoot where imported models and encoded corpora are cached
 * @param engine what runs the encoder
 */
public record DenseConfig(String model, IndexType index, HnswConfig hnsw, int k, int batchSize, Path cacheRoot,
    InferenceEngine engine) {
  /** Texts per forward pass of {@link #exact}. */
  public static final int EVALUATION_BATCH_SIZE = 64;

  /**
   * Exact search with {@code model} on the default inference engine: how a trained model's test and dev numbers are
   * made (the end of {@code train}, each pipeline stage).
   */
  public static DenseConfig exact(Path model, int k, Path cacheRoot) {
    return new DenseConfig(model.toString(), IndexType.FLAT, HnswConfig.DEFAULTS, k, EVALUATION_BATCH_SIZE, cacheRoot,
        InferenceEngine.DEFAULT);
  }

  public DenseConfig {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model must be given");
    }
    if (index == null || hnsw == null || cacheRoot == null || engine == null) {
      throw new IllegalArgumentException("index, hnsw, cacheRoot and engine must be given");
    }
    if (k <= 0) {
      throw new IllegalArgumentException("k must be positive; k=" + k);
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be positive; batchSize=" + batchSize);
    }
  }
}
