package dev.quarry.random;

/**
 * What a derived seed is for ({@link TrainingSeeds}). Each purpose draws from its own stream, so adding draws for one
 * purpose never shifts another's. A purpose's stream is named by its {@link #id}, written here once and never
 * reused, not by its position in this list: reordering the constants or adding one changes no existing stream.
 */
public enum RandomPurpose {
  /** The order of the training queries in an epoch. */
  DATA_ORDER(1),
  /** Which hard negatives a query gets in an epoch. */
  NEGATIVES(2),
  /** The engine's generator (dropout) for one optimizer step, replayed by gradient caching. */
  DROPOUT(3),
  /** Which negatives a step's queries draw from the refreshed ANCE index. */
  ANCE_NEGATIVES(4),
  /** Which spans of each document a pre-training step samples, and which of their pieces it masks. */
  SPANS(5);

  private final int id;

  RandomPurpose(int id) {
    this.id = id;
  }

  /** The stream's stable id, mixed into every seed derived for this purpose. */
  public int id() {
    return id;
  }
}
