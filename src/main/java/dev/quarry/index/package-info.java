/**
 * Vector indexes for dense retrieval: the {@link dev.quarry.index.VectorIndex} interface, an exact
 * {@link dev.quarry.index.FlatVectorIndex} (the reference) and an approximate Lucene
 * {@link dev.quarry.index.HnswVectorIndex}, built from ids and vectors by {@link dev.quarry.index.VectorIndexes}.
 * Every index orders hits as trec_eval does ({@link dev.quarry.index.TrecOrder}), so equal scores come out in the
 * same order from every implementation, and {@link dev.quarry.index.RecallAtK} measures how far an approximate index
 * strays from an exact one.
 */
package dev.quarry.index;
