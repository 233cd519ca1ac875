package dev.quarry.cli;

/** Checks of option values made before any work, with the option's name in the message. */
final class Flags {
  private Flags() {
  }

  /** A count option that must be positive. */
  static int positive(int value, String option) {
    if (value <= 0) {
      throw new IllegalArgumentException(option + " must be positive, found " + value);
    }
    return value;
  }
}
