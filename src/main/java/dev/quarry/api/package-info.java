/**
 * Quarry for Java callers and the search product: {@link dev.quarry.api.Quarry} (load an encoder, build or open an
 * index, rerank), persistent search index folders ({@link dev.quarry.api.SearchIndexBuilder},
 * {@link dev.quarry.api.SearchIndex}: BM25, dense and hybrid search over stored passages). Java values in and out,
 * every handle closeable and thread-safe. The commands {@code index}, {@code search} and {@code serve} use it. May
 * import the floors below and {@code rerank}; no recipe's trainer.
 */
package dev.quarry.api;
