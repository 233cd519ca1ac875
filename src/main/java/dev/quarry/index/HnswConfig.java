package dev.quarry.index;

/**
 * Settings of an {@link HnswVectorIndex}. Defaults are Lucene's graph defaults (m 16, beam width 100), searched with
 * at least 100 candidates, vectors stored as 32-bit floats.
 *
 * @param m maximum connections per graph node (Lucene's {@code maxConn}), in [1, 512]
 * @param beamWidth candidates kept while inserting a node (Lucene's {@code beamWidth}, efConstruction), in [1, 3200]
 * @param efSearch candidates the graph search collects per query; a search for {@code k} hits asks Lucene for
 *     {@code max(k, efSearch)} and keeps the best {@code k} after rescoring them exactly; at least 1
 * @param int8Quantized store the graph's vectors as 8-bit integers (Lucene's scalar-quantized HNSW format): about a
 *     quarter of the memory for graph traversal, at some loss of recall. The float vectors stay in the index and
 *     rescore the candidates, so returned scores are exact either way.
 */
public record HnswConfig(int m, int beamWidth, int efSearch, boolean int8Quantized) {
  /** Largest {@code m} Lucene accepts. */
  public static final int MAX_M = 512;
  /** Largest beam width Lucene accepts. */
  public static final int MAX_BEAM_WIDTH = 3200;
  /** Lucene's defaults, efSearch 100, float vectors. */
  public static final HnswConfig DEFAULTS = new HnswConfig(16, 100, 100, false);

  public HnswConfig {
    if (m <= 0 || m > MAX_M) {
      throw new IllegalArgumentException("m must be positive and <= " + MAX_M + "; m=" + m);
    }
    if (beamWidth <= 0 || beamWidth > MAX_BEAM_WIDTH) {
      throw new IllegalArgumentException(
          "beamWidth must be positive and <= " + MAX_BEAM_WIDTH + "; beamWidth=" + beamWidth);
    }
    if (efSearch <= 0) {
      throw new IllegalArgumentException("efSearch must be positive; efSearch=" + efSearch);
    }
  }

  /** The same settings with another efSearch. */
  public HnswConfig withEfSearch(int newEfSearch) {
    return new HnswConfig(m, beamWidth, newEfSearch, int8Quantized);
  }

  /** The same settings with or without 8-bit quantization. */
  public HnswConfig withInt8Quantized(boolean quantized) {
    return new HnswConfig(m, beamWidth, efSearch, quantized);
  }
}
