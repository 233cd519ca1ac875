package dev.quarry.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.quarry.io.DataFormatException;
import dev.quarry.io.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DprFormatTest {
  /** Two examples in the layout of DPR's nq-train.json (pretty-printed, one field per line). */
  static final String TRAIN_JSON = """
      [
        {
          "dataset": "nq_train_psgs_w100",
          "question": "who sings does he love me with reba",
          "answers": ["Linda Davis"],
          "positive_ctxs": [
            {"title": "Does He Love You", "text": "a duet by Reba", "score": 1000, "title_score": 1, "passage_id": "11828866"}
          ],
          "negative_ctxs": [
            {"title": "Cormac", "text": "neg text", "score": 0, "title_score": 0, "passage_id": "10891637"}
          ],
          "hard_negative_ctxs": [
            {"title": "Reba", "text": "hard neg", "score": 13.39, "title_score": 0, "passage_id": "3"},
            {"title": "Linda", "text": "hard neg 2", "score": 13.0, "title_score": 0, "psg_id": 4}
          ]
        },
        {
          "question": "how many episodes are in chicago fire season 4",
          "answers": ["23", "twenty-three"],
          "positive_ctxs": [{"title": "Chicago Fire (season 4)", "text": "The fourth season"}],
          "negative_ctxs": [],
          "hard_negative_ctxs": null
        }
      ]
      """;

  @TempDir
  Path dir;

  private static List<DprFormat.Example> examples(Path file) {
    List<DprFormat.Example> out = new ArrayList<>();
    DprFormat.readExamples(file, out::add);
    return out;
  }

  private static List<Passage> passages(Path file) {
    List<Passage> out = new ArrayList<>();
    DprFormat.readPassages(file, out::add);
    return out;
  }

  @Test
  void readsPassagesWithPythonCsvQuoting() {
    Path file = Fixtures.write(dir.resolve("psgs_w100.tsv"),
        "id\ttext\ttitle\n"
            + "1\t\"Aaron Aaron ( or ; \"\"Ahärôn\"\") is a prophet\"\tAaron\n"
            + "2\t\"a \"\"quoted\"\" text\twith a tab\"\t\"Title, with comma\"\n"
            + "3\tplain text\t\n");
    assertThat(passages(file)).containsExactly(
        new Passage("1", "Aaron", "Aaron Aaron ( or ; \"Ahärôn\") is a prophet"),
        new Passage("2", "Title, with comma", "a \"quoted\" text\twith a tab"),
        new Passage("3", "", "plain text"));
  }

  @Test
  void passageColumnsAreFoundByTheHeader() {
    Path file = Fixtures.writeGzip(dir.resolve("psgs_w100.tsv.gz"), "title\tid\ttext\nT\tp1\tbody\n");
    assertThat(passages(file)).containsExactly(new Passage("p1", "T", "body"));
  }

  @Test
  void passagesWithTheWrongNumberOfColumns() {
    Path file = Fixtures.write(dir.resolve("psgs_w100.tsv"), "id\ttext\ttitle\n1\tx\tT\n2\t\"y\ttab\"\n");
    assertThatThrownBy(() -> passages(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("psgs_w100.tsv:3:")
        .hasMessageContaining("expected 3 columns");
  }

  @Test
  void passagesHeaderMustNameIdTextTitle() {
    Path file = Fixtures.write(dir.resolve("psgs_w100.tsv"), "1\tx\tT\n");
    assertThatThrownBy(() -> passages(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("psgs_w100.tsv:1:")
        .hasMessageContaining("header must name the columns id, text and title");
  }

  @Test
  void passagesUnterminatedQuoteAndDuplicateId() {
    Path a = Fixtures.write(dir.resolve("a.tsv"), "id\ttext\ttitle\n1\t\"open\tT\n");
    assertThatThrownBy(() -> passages(a))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("a.tsv:2:")
        .hasMessageContaining("unterminated quoted field");
    Path b = Fixtures.write(dir.resolve("b.tsv"), "id\ttext\ttitle\n1\tx\tT\n2\ty\tT\n1\tz\tT\n");
    assertThatThrownBy(() -> passages(b))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("b.tsv:4:")
        .hasMessageContaining("duplicate passage id \"1\" (first at line 2)");
  }

  @Test
  void readsTrainingExamples() {
    Path file = Fixtures.write(dir.resolve("train.json"), TRAIN_JSON);
    List<DprFormat.Example> examples = examples(file);
    assertThat(examples).hasSize(2);

    DprFormat.Example first = examples.get(0);
    assertThat(first.question()).isEqualTo("who sings does he love me with reba");
    assertThat(first.answers()).containsExactly("Linda Davis");
    assertThat(first.positives()).containsExactly(
        new DprFormat.Context("11828866", "Does He Love You", "a duet by Reba", 1000.0));
    assertThat(first.negatives()).containsExactly(new DprFormat.Context("10891637", "Cormac", "neg text", 0.0));
    assertThat(first.hardNegatives()).containsExactly(
        new DprFormat.Context("3", "Reba", "hard neg", 13.39),
        new DprFormat.Context("4", "Linda", "hard neg 2", 13.0));
    assertThat(first.line()).isEqualTo(2);

    DprFormat.Example second = examples.get(1);
    assertThat(second.answers()).containsExactly("23", "twenty-three");
    assertThat(second.positives()).containsExactly(new DprFormat.Context(null, "Chicago Fire (season 4)", "The fourth season", null));
    assertThat(second.negatives()).isEmpty();
    assertThat(second.hardNegatives()).isEmpty();
    assertThat(second.line()).isEqualTo(17);
  }

  @Test
  void readsGzippedExamplesAndAnEmptyArray() {
    assertThat(examples(Fixtures.writeGzip(dir.resolve("dev.json.gz"), TRAIN_JSON))).hasSize(2);
    assertThat(examples(Fixtures.write(dir.resolve("empty.json"), "[]"))).isEmpty();
  }

  @Test
  void truncatedArrayCutMidway() {
    Path file = Fixtures.write(dir.resolve("train.json"), TRAIN_JSON.substring(0, TRAIN_JSON.length() / 2));
    assertThatThrownBy(() -> examples(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("train.json:")
        .hasMessageContaining("truncated");
  }

  @Test
  void truncatedRightAfterACommaIsReportedAsTruncated() {
    String json = "[\n  {\"question\": \"q1\", \"answers\": [\"a\"]},\n  {\"question\": \"q2\", \"answers\": [\"b\"]}\n]\n";
    String betweenExamples = json.substring(0, json.indexOf("},") + 2);
    String betweenFields = json.substring(0, json.indexOf("\"q2\",") + 5);
    for (String cut : List.of(betweenExamples, betweenFields)) {
      Path file = Fixtures.write(dir.resolve("train.json"), cut);
      assertThatThrownBy(() -> examples(file))
          .as("cut after %s", cut.substring(cut.length() - 6))
          .isInstanceOf(DataFormatException.class)
          .hasMessageContaining("train.json:")
          .hasMessageContaining("truncated");
    }
  }

  @Test
  void truncatedArrayIsReportedAsTruncatedWhereverItIsCut() {
    String json = TRAIN_JSON.strip();
    List<String> notTruncated = new ArrayList<>();
    for (int cut = 1; cut < json.length(); cut++) {
      Path file = Fixtures.write(dir.resolve("cut.json"), json.substring(0, cut));
      DataFormatException e = catchThrowableOfType(DataFormatException.class, () -> examples(file));
      if (e == null || !e.getMessage().contains("truncated") || !e.getMessage().contains("cut.json")) {
        notTruncated.add(cut + " -> " + (e == null ? "no error" : e.getMessage()));
      }
    }
    assertThat(notTruncated).isEmpty();
  }

  @Test
  void everyCutIsADataFormatExceptionNamingTheFile() {
    String json = TRAIN_JSON.strip();
    for (int cut = 1; cut < json.length(); cut += 7) {
      Path file = Fixtures.write(dir.resolve("cut.json"), json.substring(0, cut));
      assertThatThrownBy(() -> examples(file)).as("cut at %d", cut)
          .isInstanceOf(DataFormatException.class)
          .hasMessageContaining("cut.json:");
    }
  }

  @Test
  void truncatedGzippedExamplesAreADataFormatException() {
    StringBuilder json = new StringBuilder("[\n");
    for (int i = 0; i < 2000; i++) {
      json.append("  {\"question\": \"question ").append(Integer.toHexString(i * 0x9E3779B1))
          .append("\", \"answers\": [\"a").append(i).append("\"]},\n");
    }
    json.append("  {\"question\": \"last\"}\n]\n");
    byte[] whole = Fixtures.gzip(json.toString());
    Path file = Fixtures.writeBytes(dir.resolve("train.json.gz"), Fixtures.cut(whole, whole.length / 2));
    assertThatThrownBy(() -> examples(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("train.json.gz")
        .hasMessageContaining("truncated");
  }

  @Test
  void notAnArray() {
    Path file = Fixtures.write(dir.resolve("train.json"), "{\"question\": \"q\"}");
    assertThatThrownBy(() -> examples(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("train.json:1:")
        .hasMessageContaining("expected a JSON array");
  }

  @Test
  void exampleWithoutQuestionIsReportedAtItsLine() {
    Path file = Fixtures.write(dir.resolve("train.json"), "[\n  {\"question\": \"q\", \"answers\": []},\n  {\"answers\": [\"a\"]}\n]\n");
    assertThatThrownBy(() -> examples(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("train.json:3:")
        .hasMessageContaining("missing field \"question\"");
  }

  @Test
  void contextWithoutTextAndNonStringAnswers() {
    Path a = Fixtures.write(dir.resolve("a.json"), "[\n{\"question\": \"q\", \"positive_ctxs\": [{\"title\": \"t\"}]}\n]");
    assertThatThrownBy(() -> examples(a))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("a.json:2:")
        .hasMessageContaining("positive_ctxs: missing field \"text\"");
    Path b = Fixtures.write(dir.resolve("b.json"), "[{\"question\": \"q\", \"answers\": [1]}]");
    assertThatThrownBy(() -> examples(b))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("b.json:1:")
        .hasMessageContaining("\"answers\" must be an array of strings");
  }

  @Test
  void malformedJson() {
    Path file = Fixtures.write(dir.resolve("train.json"), "[\n{\"question\": \"q\"},\n{\"question\" \"q\"}\n]");
    assertThatThrownBy(() -> examples(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("train.json:3:")
        .hasMessageContaining("malformed JSON");
  }

  @Test
  void missingFiles() {
    assertThatThrownBy(() -> examples(dir.resolve("train.json")))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("train.json").hasMessageContaining("file not found");
    assertThatThrownBy(() -> passages(dir.resolve("psgs_w100.tsv")))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("psgs_w100.tsv").hasMessageContaining("file not found");
  }
}
