package dev.quarry.reader;

import dev.quarry.data.Passage;
import java.util.Optional;

/**
 * One reader input, {@code [CLS] question [SEP] title [SEP] passage [SEP]} (the title segment left out when the
 * passage has none), with where the passage's tokens sit and which characters of the passage text each covers, so a
 * token span maps back to the answer text and an answer's characters to a token span.
 *
 * @param passage the passage read
 * @param ids token ids
 * @param types segment ids: 0 for {@code [CLS] question [SEP]}, 1 after
 * @param passageStart the index of the passage's first token
 * @param charStart for each passage token (index {@code i - passageStart}), its first character in the text
 * @param charEnd for each passage token, one past its last character
 * @param wordIds for each passage token, the index of the word it belongs to
 */
public record ReaderSequence(Passage passage, long[] ids, long[] types, int passageStart, int[] charStart,
    int[] charEnd, long[] wordIds) {

  public ReaderSequence {
    if (ids.length != types.length || charStart.length != charEnd.length || charStart.length != wordIds.length
        || passageStart + charStart.length > ids.length) {
      throw new IllegalArgumentException("inconsistent reader sequence: " + ids.length + " ids, " + types.length
          + " types, " + charStart.length + " passage tokens from " + passageStart);
    }
  }

  /** The index one past the passage's last token (the final [SEP]). */
  public int passageEnd() {
    return passageStart + charStart.length;
  }

  /** Whether the passage kept at least one token. */
  public boolean hasPassageTokens() {
    return charStart.length > 0;
  }

  /**
   * The tokens {@code [start, end]} that cover characters {@code [from, to)} of the passage text, or empty when the
   * passage was cut before {@code to}.
   */
  public Optional<int[]> tokenSpan(int from, int to) {
    int start = -1;
    int end = -1;
    for (int i = 0; i < charStart.length; i++) {
      if (start < 0 && charEnd[i] > from) {
        start = i;
      }
      if (charStart[i] < to) {
        end = i;
      }
    }
    if (start < 0 || end < start || charEnd[charEnd.length - 1] < to) {
      return Optional.empty();
    }
    return Optional.of(new int[] {passageStart + start, passageStart + end});
  }

  /** Widens the passage tokens {@code [start, end]} to whole words; sequence indices in and out. */
  public int[] wholeWords(int start, int end) {
    int s = start - passageStart;
    int e = end - passageStart;
    while (s > 0 && wordIds[s - 1] == wordIds[s]) {
      s--;
    }
    while (e + 1 < wordIds.length && wordIds[e + 1] == wordIds[e]) {
      e++;
    }
    return new int[] {passageStart + s, passageStart + e};
  }

  /** The passage characters under tokens {@code [start, end]} (sequence indices), as the text writes them. */
  public String text(int start, int end) {
    return passage.text().substring(charStart[start - passageStart], charEnd[end - passageStart]);
  }

  /** The character offsets {@code [from, to)} of the passage text under tokens {@code [start, end]}. */
  public AnswerMatches.CharSpan chars(int start, int end) {
    return new AnswerMatches.CharSpan(charStart[start - passageStart], charEnd[end - passageStart]);
  }
}
