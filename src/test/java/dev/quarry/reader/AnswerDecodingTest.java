package dev.quarry.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AnswerDecodingTest {
  @Test
  void theBestSpanEndsAtOrAfterItsStartWithinTheLengthAndTheRange() {
    //                 0   1   2   3   4   5
    float[] start = {9f, 1f, 5f, 0f, 0f, 3f};
    float[] end = {9f, 0f, 0f, 4f, 0f, 6f};
    // outside [1, 6): token 0 is not passage; end before start (5 -> 3) is not allowed
    assertThat(new AnswerDecoding(20, 10).bestSpan(start, end, 1, 6)).isEqualTo(new AnswerDecoding.Span(2, 5, 11f));
    // at most 2 tokens: 2..5 is too long; 2..3 and 5..5 both score 9, and the first found wins
    assertThat(new AnswerDecoding(20, 2).bestSpan(start, end, 1, 6)).isEqualTo(new AnswerDecoding.Span(2, 3, 9f));
    assertThat(new AnswerDecoding(20, 1).bestSpan(start, end, 1, 6)).isEqualTo(new AnswerDecoding.Span(5, 5, 9f));
  }

  @Test
  void badRangesAndSettingsAreErrors() {
    assertThatThrownBy(() -> AnswerDecoding.DEFAULT.bestSpan(new float[3], new float[3], 2, 2))
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> new AnswerDecoding(0, 10)).hasMessageContaining("passages must be positive");
    assertThatThrownBy(() -> new AnswerDecoding(20, 0)).hasMessageContaining("max answer tokens");
  }
}
