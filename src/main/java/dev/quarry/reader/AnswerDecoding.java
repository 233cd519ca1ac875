package dev.quarry.reader;

/**
 * How answers are read from a question's passages: the top {@code passages} of its ranking are read, the passage with
 * the highest selection score is chosen, and in it the span with the highest start + end logit among spans of at
 * most {@code maxAnswerTokens} tokens (end at or after start, both in the passage), widened to whole words.
 *
 * @param passages the top passages of a ranking read per question, at least 1
 * @param maxAnswerTokens the longest answer span in tokens, at least 1
 */
public record AnswerDecoding(int passages, int maxAnswerTokens) {
  /** DPR's defaults: the top 20 passages, answers of at most 10 tokens. */
  public static final AnswerDecoding DEFAULT = new AnswerDecoding(20, 10);

  public AnswerDecoding {
    if (passages < 1) {
      throw new IllegalArgumentException("passages must be positive; passages=" + passages);
    }
    if (maxAnswerTokens < 1) {
      throw new IllegalArgumentException("max answer tokens must be positive; maxAnswerTokens=" + maxAnswerTokens);
    }
  }

  /** A span of tokens {@code [start, end]} (both inclusive) and its score. */
  public record Span(int start, int end, float score) {
  }

  /**
   * The best span of one sequence: {@code start <= end < start + maxAnswerTokens}, both in {@code [from, to)}, with
   * the highest {@code startLogits[start] + endLogits[end]}; the first such span on ties. {@code from < to} required.
   */
  public Span bestSpan(float[] startLogits, float[] endLogits, int from, int to) {
    if (from < 0 || to > startLogits.length || to > endLogits.length || from >= to) {
      throw new IllegalArgumentException("span range [" + from + ", " + to + ") outside the " + startLogits.length
          + " logits or empty");
    }
    int bestStart = from;
    int bestEnd = from;
    float best = Float.NEGATIVE_INFINITY;
    for (int s = from; s < to; s++) {
      for (int e = s; e < Math.min(to, s + maxAnswerTokens); e++) {
        float score = startLogits[s] + endLogits[e];
        if (score > best) {
          best = score;
          bestStart = s;
          bestEnd = e;
        }
      }
    }
    return new Span(bestStart, bestEnd, best);
  }
}
