package dev.quarry.api;

import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.InferenceEngine;
import dev.quarry.model.TextEncoder;
import dev.quarry.util.Progress;
import java.nio.file.Path;
import java.util.List;

/**
 * A dense encoder for Java callers: queries and passages in, vectors out, with the model's recipe (prefixes, pooling,
 * normalization, lengths) applied. Thread-safe: forward passes run one at a time. Close it to free the model.
 */
public final class Encoder implements AutoCloseable {
  /** Texts per forward pass unless told otherwise, as {@code quarry dense}. */
  static final int BATCH_SIZE = 32;

  private final TextEncoder encoder;
  private final Path modelDir;
  private final int batchSize;

  private Encoder(TextEncoder encoder, Path modelDir, int batchSize) {
    this.encoder = encoder;
    this.modelDir = modelDir;
    this.batchSize = batchSize;
  }

  static Encoder load(Path modelDir, InferenceEngine engine) {
    return load(modelDir, engine, BATCH_SIZE);
  }

  static Encoder load(Path modelDir, InferenceEngine engine, int batchSize) {
    return new Encoder(TextEncoder.load(modelDir, engine), modelDir, batchSize);
  }

  /** One query's vector. */
  public float[] encodeQuery(String query) {
    return encodeQueries(List.of(query))[0];
  }

  /** The queries' vectors, in order. */
  public float[][] encodeQueries(List<String> queries) {
    return encodeQueries(queries, Progress.NONE);
  }

  synchronized float[][] encodeQueries(List<String> queries, Progress progress) {
    return encoder.encodeQueries(queries, batchSize, progress);
  }

  /** The passages' vectors, in order; give each passage as the index does, title + " " + text. */
  public synchronized float[][] encodePassages(List<String> passages) {
    return encoder.encodePassages(passages, batchSize, Progress.NONE);
  }

  /** The similarity the model was trained for: the inner product of two vectors (cosine when normalized). */
  public static double score(float[] query, float[] passage) {
    if (query.length != passage.length) {
      throw new IllegalArgumentException("vectors of dimensions " + query.length + " and " + passage.length);
    }
    double sum = 0;
    for (int i = 0; i < query.length; i++) {
      sum += query[i] * passage[i];
    }
    return sum;
  }

  public int dimension() {
    return encoder.dimension();
  }

  public EncoderRecipe recipe() {
    return encoder.recipe();
  }

  /** The model directory it was loaded from (a bundled model's is in the cache). */
  public Path modelDir() {
    return modelDir;
  }

  @Override
  public synchronized void close() {
    encoder.close();
  }
}
