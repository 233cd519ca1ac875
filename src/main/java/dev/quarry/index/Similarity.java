package dev.quarry.index;

/** How a vector index scores a query against a document vector. */
public enum Similarity {
  /** The inner product of the vectors as given (DPR, ANCE and other models trained with dot-product scores). */
  DOT_PRODUCT,
  /**
   * Cosine similarity: document vectors are L2-normalized when added and queries when searched, then scored by dot
   * product. A zero vector cannot be normalized and is rejected.
   */
  COSINE
}
