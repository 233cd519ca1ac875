package dev.quarry.model;

/** How token states become one vector. */
public enum Pooling {
  /** The first token's state ([CLS]). */
  CLS,
  /** The mean of the non-padding tokens' states. */
  MEAN
}
