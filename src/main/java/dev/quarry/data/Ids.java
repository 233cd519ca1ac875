package dev.quarry.data;

import dev.quarry.io.JsonLines;

/**
 * The rule every query and document id obeys, so that every file Quarry writes reads back: an id is not empty and has
 * no whitespace or control character. TREC runs and qrels separate their columns by whitespace and MS MARCO files by
 * tabs, so an id with a space, a tab or a newline would be written into a run that no tool (Quarry included) can read.
 * Readers reject such ids with the file and line; writers refuse them before touching the output.
 */
public final class Ids {
  private Ids() {
  }

  /** Why {@code id} breaks the rule, or null when it does not. */
  public static String problem(String id) {
    if (id == null || id.isEmpty()) {
      return "is empty";
    }
    for (int i = 0; i < id.length(); ) {
      int c = id.codePointAt(i);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)) {
        return "contains " + describe(c) + " at position " + i + " (ids may hold no whitespace or control "
            + "characters: TREC and MS MARCO runs could not be read back)";
      }
      i += Character.charCount(c);
    }
    return null;
  }

  /** Returns {@code id} if it obeys the rule, else throws the reader's error for the current line. */
  public static String check(String id, String what, JsonLines.ErrorSink errors) {
    String problem = problem(id);
    if (problem != null) {
      throw errors.error(what + " \"" + printable(id) + "\" " + problem);
    }
    return id;
  }

  /** For writers: throws {@link IllegalArgumentException} when {@code id} breaks the rule. */
  public static String requireWritable(String id, String what, Object target) {
    String problem = problem(id);
    if (problem != null) {
      throw new IllegalArgumentException("cannot write " + target + ": " + what + " \"" + printable(id) + "\" "
          + problem);
    }
    return id;
  }

  /** The id with control characters shown as escapes, for messages. */
  static String printable(String id) {
    if (id == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    id.codePoints().forEach(c -> {
      if (c == '\t') {
        b.append("\\t");
      } else if (c == '\n') {
        b.append("\\n");
      } else if (c == '\r') {
        b.append("\\r");
      } else if (Character.isISOControl(c)) {
        b.append(String.format("\\u%04x", c));
      } else {
        b.appendCodePoint(c);
      }
    });
    return b.toString();
  }

  private static String describe(int c) {
    return switch (c) {
      case ' ' -> "a space";
      case '\t' -> "a tab";
      case '\n', '\r' -> "a line break";
      default -> String.format("the character U+%04X", c);
    };
  }
}
