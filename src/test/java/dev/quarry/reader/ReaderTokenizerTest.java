package dev.quarry.reader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.data.Passage;
import dev.quarry.model.BundledModel;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReaderTokenizerTest {
  private static final long CLS = 101;
  private static final long SEP = 102;
  @TempDir
  static Path tmp;
  static Path tokenizerJson;

  @BeforeAll
  static void copyTokenizer() throws Exception {
    tokenizerJson = tmp.resolve("tokenizer.json");
    try (InputStream in = ReaderTokenizerTest.class.getResourceAsStream(
        BundledModel.ALL_MINILM_L6_V2.tokenizerResource())) {
      Files.copy(in, tokenizerJson);
    }
  }

  @Test
  void laysOutQuestionTitleAndPassageWithSegmentsAndOffsets() {
    Passage p = new Passage("p1", "Café Society", "The naïve café opened in the 1990s — unbelievably — in Zürich.");
    try (ReaderTokenizer t = new ReaderTokenizer(tokenizerJson, 128)) {
      ReaderSequence s = t.sequence("When did it open?", p);
      long[] ids = s.ids();
      assertThat(ids[0]).isEqualTo(CLS);
      assertThat(ids[ids.length - 1]).isEqualTo(SEP);
      assertThat(Arrays.stream(ids).filter(id -> id == SEP).count()).isEqualTo(3);   // after question, title, passage
      assertThat(ids[s.passageStart() - 1]).isEqualTo(SEP);
      assertThat(s.passageEnd()).isEqualTo(ids.length - 1);
      int questionSep = 1;
      while (ids[questionSep] != SEP) {
        questionSep++;
      }
      for (int i = 0; i < ids.length; i++) {
        assertThat(s.types()[i]).as("segment of token %d", i).isEqualTo(i <= questionSep ? 0L : 1L);
      }
      // every answer's characters map to tokens whose characters are exactly the answer
      for (String answer : new String[] {"1990s", "naïve café", "Zürich", "unbelievably"}) {
        int from = p.text().indexOf(answer);
        int[] span = s.tokenSpan(from, from + answer.length()).orElseThrow();
        assertThat(s.text(span[0], span[1])).isEqualTo(answer);
        assertThat(s.chars(span[0], span[1])).isEqualTo(new AnswerMatches.CharSpan(from, from + answer.length()));
      }
    }
  }

  @Test
  void aSubwordSpanWidensToTheWholeWord() {
    Passage p = new Passage("p", "", "It was unbelievably hot.");
    try (ReaderTokenizer t = new ReaderTokenizer(tokenizerJson, 64)) {
      ReaderSequence s = t.sequence("how hot", p);
      int from = p.text().indexOf("unbelievably");
      int[] word = s.tokenSpan(from, from + "unbelievably".length()).orElseThrow();
      assertThat(word[1]).as("the word is several word pieces").isGreaterThan(word[0]);
      assertThat(s.wholeWords(word[0] + 1, word[0] + 1)).containsExactly(word[0], word[1]);
      // no title: [CLS] question [SEP] passage [SEP]
      assertThat(Arrays.stream(s.ids()).filter(id -> id == SEP).count()).isEqualTo(2);
    }
  }

  @Test
  void thePassageIsCutToFitAndAnAnswerPastTheCutHasNoSpan() {
    String text = "alpha ".repeat(40) + "omega";
    Passage p = new Passage("p", "Title", text);
    try (ReaderTokenizer t = new ReaderTokenizer(tokenizerJson, 32)) {
      ReaderSequence s = t.sequence("a question of several words here", p);
      assertThat(s.ids()).hasSize(32);
      assertThat(s.tokenSpan(text.indexOf("omega"), text.length())).isEmpty();
      assertThat(s.tokenSpan(0, 5)).isPresent();
      // a question longer than a quarter of the sequence is cut to a quarter
      ReaderSequence longQuestion = t.sequence("why ".repeat(30), p);
      assertThat(longQuestion.passageStart()).isLessThanOrEqualTo(1 + 8 + 1 + 4 + 1);
      assertThat(longQuestion.ids()).hasSize(32);
    }
  }
}
