package dev.quarry.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Cases worked by hand from DPR's has_answer with DrQA's SimpleTokenizer (facebookresearch/DPR qa_validation.py). */
class DprAnswerMatcherTest {
  @Test
  void tokenizesLikeSimpleTokenizer() {
    // runs of letters/digits/marks, and every other non-space character on its own; lower-cased
    assertThat(DprAnswerMatcher.tokens("Denver Broncos' 24–10 win (Super Bowl 50)!"))
        .containsExactly("denver", "broncos", "'", "24", "–", "10", "win", "(", "super", "bowl", "50", ")", "!");
    // NFD splits accented letters into letter + combining mark, which stay in one token
    assertThat(DprAnswerMatcher.tokens("Café")).hasSize(1);
    assertThat(DprAnswerMatcher.tokens("Café").get(0)).hasSize(5);
  }

  @Test
  void matchesWholeTokenSequencesOnly() {
    String passage = "The Broncos defeated the Carolina Panthers 24–10 to earn their third Super Bowl title.";
    assertThat(DprAnswerMatcher.hasAnswer(List.of("Carolina Panthers"), passage)).isTrue();
    assertThat(DprAnswerMatcher.hasAnswer(List.of("carolina  PANTHERS"), passage)).isTrue();
    assertThat(DprAnswerMatcher.hasAnswer(List.of("Panther"), passage)).as("not a whole token").isFalse();
    assertThat(DprAnswerMatcher.hasAnswer(List.of("24"), passage)).isTrue();
    assertThat(DprAnswerMatcher.hasAnswer(List.of("Denver", "third Super Bowl"), passage)).isTrue();
    assertThat(DprAnswerMatcher.hasAnswer(List.of("Super Bowl title!"), passage)).isFalse();
    // composed and decomposed forms of the same text match after NFD
    assertThat(DprAnswerMatcher.hasAnswer(List.of("Cafe\u0301"), "a caf\u00e9 in Paris")).isTrue();
  }
}
