package dev.quarry.reader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.reader.AnswerMatches.CharSpan;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerMatchesTest {
  @Test
  void findsEveryOccurrenceOfEveryAnswerOnWordBoundariesIgnoringCase() {
    String text = "Denver Broncos beat the Panthers; the broncos won in 2016, not 20166 or 1990.";
    assertThat(AnswerMatches.find(text, List.of("Broncos", "Denver Broncos", " 2016 ")))
        .containsExactly(new CharSpan(0, 14), new CharSpan(7, 14), new CharSpan(38, 45), new CharSpan(53, 57));
  }

  @Test
  void aWordInsideAnotherIsNoMatchButPunctuationEdgesAre() {
    assertThat(AnswerMatches.find("and an anchor", List.of("an"))).containsExactly(new CharSpan(4, 6));
    assertThat(AnswerMatches.find("in (1990s) era", List.of("(1990s)"))).containsExactly(new CharSpan(3, 10));
    assertThat(AnswerMatches.find("costs $5.", List.of("$5"))).containsExactly(new CharSpan(6, 8));
  }

  @Test
  void repeatedOrBlankAnswersAddNothing() {
    assertThat(AnswerMatches.find("Paris is in France", List.of("Paris", "paris", "", "  ", "Lyon")))
        .containsExactly(new CharSpan(0, 5));
  }
}
