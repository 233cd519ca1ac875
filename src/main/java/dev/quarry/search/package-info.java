/**
 * Searching and combining rankings. Fusion turns several runs for the same queries (BM25 and dense, or two dense
 * models) into one: {@link dev.quarry.search.ReciprocalRankFusion} by ranks alone,
 * {@link dev.quarry.search.WeightedScoreFusion} by normalized scores. Both read each run in trec_eval's order
 * ({@link dev.quarry.index.TrecOrder}) and write the fused run in it, so its ranks are the ranks trec_eval evaluates.
 */
package dev.quarry.search;
