package dev.quarry.api;

/**
 * One search result: its rank (1-based), the passage's id, title and text, and the score the ranking used (BM25,
 * inner product, fused, or the reranker's logit).
 */
public record Hit(int rank, String id, double score, String title, String text) {
}
