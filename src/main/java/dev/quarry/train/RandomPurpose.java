package dev.quarry.train;

/**
 * What a derived seed is for ({@link TrainingSeeds}). Each purpose draws from its own stream, so adding draws for one
 * purpose never shifts another's.
 */
public enum RandomPurpose {
  /** The order of the training queries in an epoch. */
  DATA_ORDER,
  /** Which hard negatives a query gets in an epoch. */
  NEGATIVES,
  /** The engine's generator (dropout) for one optimizer step, replayed by gradient caching. */
  DROPOUT,
  /** Which negatives a step's queries draw from the refreshed ANCE index. */
  ANCE_NEGATIVES,
  /** Which spans of each document a pre-training step samples, and which of their pieces it masks. */
  SPANS
}
