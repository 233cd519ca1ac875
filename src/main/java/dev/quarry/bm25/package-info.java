/**
 * BM25 on Lucene, equal to Anserini: the analyzer, the cached index of a corpus, and the searcher (top hits, and the
 * exact scores of chosen documents). May import {@code data}, {@code io}, {@code util}.
 */
package dev.quarry.bm25;
