package dev.quarry.index;

/** The kinds of {@link VectorIndex}. */
public enum IndexType {
  /** Exact search over every vector ({@link FlatVectorIndex}); the reference for recall. */
  FLAT,
  /** Approximate search over a Lucene HNSW graph ({@link HnswVectorIndex}). */
  HNSW
}
