package dev.quarry.api;

/** How a {@link SearchIndex} ranks passages for a query. */
public enum SearchMode {
  /** BM25 (Lucene, Anserini's flat defaults k1 = 0.9, b = 0.4). */
  BM25,
  /** The index's dense encoder: inner product of query and passage vectors (cosine when the recipe normalizes). */
  DENSE,
  /**
   * BM25 and dense fused by reciprocal rank fusion (k = 60, each side's top 1000), as {@code quarry fuse} does with
   * its defaults.
   */
  HYBRID
}
