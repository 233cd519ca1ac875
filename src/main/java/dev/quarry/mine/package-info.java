/**
 * Hard-negative mining: turning a dataset's training queries and a candidate run (BM25, dense, any TREC run) into
 * training groups, one query with its positives and sampled negatives, written as JSONL
 * ({@link dev.quarry.mine.TrainGroupFormat}).
 *
 * <p>{@link dev.quarry.mine.NegativeMiner} reads candidates only from the run, never scoring queries against the
 * corpus, so its memory grows with queries times rank range, not queries times corpus. It keeps false negatives out
 * by a {@link dev.quarry.mine.PositiveRule} (judged relevant, or containing an answer), samples each query with its
 * own seeded random stream ({@link dev.quarry.mine.QuerySeeds}), and reports what it did in a
 * {@link dev.quarry.mine.MiningReport}. {@link dev.quarry.mine.DevSplit} carves a seeded dev set out of training
 * queries, for choosing checkpoints without touching the test split.
 */
package dev.quarry.mine;
