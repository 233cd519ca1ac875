package dev.quarry.reader;

import dev.quarry.data.Passage;

/**
 * The reader's answer to a question: the text of the best span of the passage it selected, where that span is, and
 * the scores that chose them.
 *
 * @param text the answer, as the passage writes it
 * @param passage the passage it comes from
 * @param passageRank the passage's 1-based rank in the ranking the reader read
 * @param charStart the answer's first character in the passage text
 * @param charEnd one past its last character
 * @param spanScore start logit + end logit of the span
 * @param selectionScore the passage's selection logit, the highest of the passages read
 */
public record Answer(String text, Passage passage, int passageRank, int charStart, int charEnd, float spanScore,
    float selectionScore) {
}
