package dev.quarry.cli;

import dev.quarry.data.Ids;

/** Checks of option values made before any work, with the option's name in the message. */
public final class Flags {
  private Flags() {
  }

  /** A count option that must be positive. */
  public static int positive(int value, String option) {
    if (value <= 0) {
      throw new IllegalArgumentException(option + " must be positive, found " + value);
    }
    return value;
  }

  /** {@code --tag}, when given, must be writable into a TREC run ({@link Ids}). */
  public static void runTag(String tag) {
    if (tag != null) {
      Ids.requireWritable(tag, "--tag", "the run");
    }
  }
}
