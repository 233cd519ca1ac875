package dev.quarry.reader;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the answers of a question occur in a passage, as character spans: every occurrence of every answer string,
 * compared case-insensitively, that starts and ends on a word boundary (so "an" is not found inside "and", nor "19"
 * inside "1990"). DPR trains its reader on all of them (the marginal likelihood of every answer span), since the
 * data says which string answers but not which occurrence.
 */
public final class AnswerMatches {
  private AnswerMatches() {
  }

  /** A character span {@code [start, end)} of a text. */
  public record CharSpan(int start, int end) {
    public CharSpan {
      if (start < 0 || end <= start) {
        throw new IllegalArgumentException("character span [" + start + ", " + end + ") is empty or negative");
      }
    }
  }

  /** The distinct spans of {@code text} where an answer occurs, in order of their start (then end). */
  public static List<CharSpan> find(String text, List<String> answers) {
    List<CharSpan> spans = new ArrayList<>();
    for (String raw : answers) {
      String answer = raw.strip();
      if (answer.isEmpty()) {
        continue;
      }
      for (int at = 0; at + answer.length() <= text.length(); at++) {
        if (text.regionMatches(true, at, answer, 0, answer.length())
            && boundary(text, at - 1, answer.charAt(0))
            && boundary(text, at + answer.length(), answer.charAt(answer.length() - 1))) {
          CharSpan span = new CharSpan(at, at + answer.length());
          if (!spans.contains(span)) {
            spans.add(span);
          }
        }
      }
    }
    spans.sort((a, b) -> a.start() != b.start() ? Integer.compare(a.start(), b.start())
        : Integer.compare(a.end(), b.end()));
    return spans;
  }

  /** Whether the character at {@code i} (outside the text counts as a boundary) does not continue a word edge. */
  private static boolean boundary(String text, int i, char edge) {
    if (i < 0 || i >= text.length() || !Character.isLetterOrDigit(edge)) {
      return true;
    }
    return !Character.isLetterOrDigit(text.charAt(i));
  }
}
