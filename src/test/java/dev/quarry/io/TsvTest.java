package dev.quarry.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsvTest {
  @TempDir
  Path dir;

  /** Opens a file of {@code n} lines positioned on line {@code n}, for error locations. */
  private TextLines atLine(int n) {
    Path file = Fixtures.write(dir.resolve("t.tsv"), "x\n".repeat(n));
    TextLines lines = TextLines.open(file);
    for (int i = 0; i < n; i++) {
      lines.next();
    }
    return lines;
  }

  @Test
  void plainSplitKeepsEmptyAndTrailingFields() {
    assertThat(Tsv.split("a\t\tb\t")).containsExactly("a", "", "b", "");
    assertThat(Tsv.split("\"q\"\tx")).containsExactly("\"q\"", "x");
  }

  @Test
  void splitWithColumnCountReportsWrongCountAtTheLine() {
    try (TextLines lines = atLine(4)) {
      assertThat(Tsv.split(lines, "a\tb\tc", 3, "q, d, s")).containsExactly("a", "b", "c");
      assertThatThrownBy(() -> Tsv.split(lines, "a\tb", 3, "q, d, s"))
          .isInstanceOf(DataFormatException.class)
          .hasMessageContaining("t.tsv:4:")
          .hasMessageContaining("expected 3 tab-separated columns (q, d, s), found 2");
      assertThatThrownBy(() -> Tsv.split(lines, "a\tb\tc\td", 3, "q, d, s"))
          .hasMessageContaining("found 4");
    }
  }

  @Test
  void splitQuotedFollowsPythonCsv() {
    try (TextLines lines = atLine(1)) {
      assertThat(Tsv.splitQuoted(lines, "1\t\"a \"\"quoted\"\" text\"\tTitle"))
          .containsExactly("1", "a \"quoted\" text", "Title");
      assertThat(Tsv.splitQuoted(lines, "2\t\"tab\tinside\"\t\"\"")).containsExactly("2", "tab\tinside", "");
      assertThat(Tsv.splitQuoted(lines, "3\t\t")).containsExactly("3", "", "");
      assertThat(Tsv.splitQuoted(lines, "plain")).containsExactly("plain");
      assertThat(Tsv.splitQuoted(lines, "")).containsExactly("");
      // a quote that does not start the field is an ordinary character, as in Python's csv
      assertThat(Tsv.splitQuoted(lines, "4\tsay \"hi\"\tT")).containsExactly("4", "say \"hi\"", "T");
    }
  }

  @Test
  void splitQuotedRejectsUnterminatedQuotesAndJunkAfterTheClosingQuote() {
    try (TextLines lines = atLine(2)) {
      assertThatThrownBy(() -> Tsv.splitQuoted(lines, "1\t\"never closed\tT"))
          .isInstanceOf(DataFormatException.class)
          .hasMessageContaining("t.tsv:2:")
          .hasMessageContaining("unterminated quoted field");
      assertThatThrownBy(() -> Tsv.splitQuoted(lines, "1\t\"q\"x\tT"))
          .isInstanceOf(DataFormatException.class)
          .hasMessageContaining("t.tsv:2:")
          .hasMessageContaining("column 2");
    }
  }

  @Test
  void parseIntAndDoubleAcceptSurroundingSpacesAndReportBadValues() {
    try (TextLines lines = atLine(3)) {
      assertThat(Tsv.parseInt(lines, " 2 ", "score")).isEqualTo(2);
      assertThat(Tsv.parseInt(lines, "-1", "score")).isEqualTo(-1);
      assertThat(Tsv.parseDouble(lines, "1.5e2", "score")).isEqualTo(150.0);
      assertThatThrownBy(() -> Tsv.parseInt(lines, "1.0", "score"))
          .isInstanceOf(DataFormatException.class)
          .hasMessageContaining("t.tsv:3:")
          .hasMessageContaining("score must be an integer, found \"1.0\"");
      assertThatThrownBy(() -> Tsv.parseDouble(lines, "high", "score"))
          .isInstanceOf(DataFormatException.class)
          .hasMessageContaining("t.tsv:3:")
          .hasMessageContaining("score must be a number");
      assertThatThrownBy(() -> Tsv.parseDouble(lines, "NaN", "score"))
          .isInstanceOf(DataFormatException.class)
          .hasMessageContaining("t.tsv:3:")
          .hasMessageContaining("NaN");
    }
  }
}
