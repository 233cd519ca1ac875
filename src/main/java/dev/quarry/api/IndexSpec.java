package dev.quarry.api;

import dev.quarry.index.HnswConfig;
import dev.quarry.index.IndexType;
import dev.quarry.model.InferenceEngine;

/**
 * What a search index holds besides BM25: the dense encoder and how its corpus vectors are searched.
 *
 * @param model a bundled model name or a model directory
 * @param engine what runs the encoder
 * @param vectors exact search over the vectors, or a Lucene HNSW graph built once into the index
 * @param hnsw the graph's settings, when {@code vectors} is HNSW ({@code efSearch} is a default a search may change)
 * @param batchSize texts per forward pass, when the corpus is encoded and when queries are
 */
public record IndexSpec(String model, InferenceEngine engine, IndexType vectors, HnswConfig hnsw, int batchSize) {
  public IndexSpec {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("a search index needs a dense model");
    }
    if (engine == null || vectors == null || hnsw == null) {
      throw new IllegalArgumentException("engine, vectors and hnsw must be given");
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be positive; batchSize=" + batchSize);
    }
  }

  /** Exact search with {@code model} on the default engine, 32 texts a forward pass (as {@code quarry dense}). */
  public static IndexSpec of(String model) {
    return new IndexSpec(model, InferenceEngine.DEFAULT, IndexType.FLAT, HnswConfig.DEFAULTS, 32);
  }
}
