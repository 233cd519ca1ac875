package dev.quarry.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.quarry.io.DataFormatException;
import dev.quarry.io.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SquadFormatTest {
  static final String DEV_JSON = """
      {"data": [
        {"title": "Super_Bowl_50", "paragraphs": [
          {"context": "Super Bowl 50 was an American football game.", "qas": [
            {"id": "56be4db0acb8001400a502ec", "question": "Which NFL team won Super Bowl 50?",
             "answers": [{"answer_start": 0, "text": "Denver Broncos"}, {"answer_start": 0, "text": "Denver Broncos"}]},
            {"id": "56be4db0acb8001400a502ed", "question": "Where was it played?",
             "answers": [{"answer_start": 5, "text": "Santa Clara"}]}
          ]},
          {"context": "The game was played on February 7, 2016.", "qas": [
            {"id": "q3", "question": "When?", "answers": [{"answer_start": 23, "text": "February 7, 2016"}]}
          ]}
        ]},
        {"title": "Warsaw", "paragraphs": [
          {"context": "Warsaw is the capital of Poland.", "qas": [
            {"id": "q4", "question": "Capital of Poland?", "answers": []}
          ]}
        ]}
      ], "version": "1.1"}
      """;

  @TempDir
  Path dir;

  @Test
  void paragraphsArePassagesAndEachQuestionJudgesItsOwnParagraph() {
    SquadFormat.Collection c = SquadFormat.read(Fixtures.write(dir.resolve("dev-v1.1.json"), DEV_JSON));
    assertThat(c.passages()).containsExactly(
        new Passage("Super_Bowl_50_p0", "Super Bowl 50", "Super Bowl 50 was an American football game."),
        new Passage("Super_Bowl_50_p1", "Super Bowl 50", "The game was played on February 7, 2016."),
        new Passage("Warsaw_p0", "Warsaw", "Warsaw is the capital of Poland."));
    assertThat(c.queries()).extracting(Query::id)
        .containsExactly("56be4db0acb8001400a502ec", "56be4db0acb8001400a502ed", "q3", "q4");
    assertThat(c.queries().get(0).text()).isEqualTo("Which NFL team won Super Bowl 50?");
    Qrels qrels = c.qrels();
    assertThat(qrels.size()).isEqualTo(4);
    assertThat(qrels.judgments("56be4db0acb8001400a502ec")).containsExactly(entry("Super_Bowl_50_p0", 1));
    assertThat(qrels.judgments("56be4db0acb8001400a502ed")).containsExactly(entry("Super_Bowl_50_p0", 1));
    assertThat(qrels.judgments("q3")).containsExactly(entry("Super_Bowl_50_p1", 1));
    assertThat(qrels.judgments("q4")).containsExactly(entry("Warsaw_p0", 1));
    assertThat(c.answers()).containsExactly(
        entry("56be4db0acb8001400a502ec", java.util.List.of("Denver Broncos", "Denver Broncos")),
        entry("56be4db0acb8001400a502ed", java.util.List.of("Santa Clara")),
        entry("q3", java.util.List.of("February 7, 2016")),
        entry("q4", java.util.List.of()));
  }

  @Test
  void titlesWithSpacesBecomeUnderscoresInIds() {
    String json = "{\"data\": [{\"title\": \" New  York \", \"paragraphs\": [{\"context\": \"c\", \"qas\": []}]}]}";
    SquadFormat.Collection c = SquadFormat.read(Fixtures.write(dir.resolve("x.json"), json));
    assertThat(c.passages()).extracting(Passage::id).containsExactly("New_York_p0");
  }

  @Test
  void duplicateQuestionIdIsAnError() {
    String json = "{\"data\": [{\"title\": \"T\", \"paragraphs\": [{\"context\": \"c\", \"qas\": ["
        + "{\"id\": \"q\", \"question\": \"a\"}, {\"id\": \"q\", \"question\": \"b\"}]}]}]}";
    assertThatThrownBy(() -> SquadFormat.read(Fixtures.write(dir.resolve("dup.json"), json)))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("dup.json")
        .hasMessageContaining("data[0].paragraphs[0]")
        .hasMessageContaining("duplicate question id \"q\"");
  }

  @Test
  void notASquadFile() {
    assertThatThrownBy(() -> SquadFormat.read(Fixtures.write(dir.resolve("x.json"), "[1, 2]")))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("x.json")
        .hasMessageContaining("no \"data\" array");
    assertThatThrownBy(() -> SquadFormat.read(Fixtures.write(dir.resolve("y.json"), "{\"data\": [{\"title\": \"T\"}]}")))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("data[0]: missing array \"paragraphs\"");
  }

  @Test
  void truncatedFile() {
    Path file = Fixtures.write(dir.resolve("dev-v1.1.json"), DEV_JSON.substring(0, DEV_JSON.indexOf("Santa Clara")));
    assertThatThrownBy(() -> SquadFormat.read(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("dev-v1.1.json:7:")
        .hasMessageContaining("truncated");
  }

  @Test
  void truncatedAfterACommaIsReportedAsTruncated() {
    Path file = Fixtures.write(dir.resolve("x.json"), "{\"data\": [{\"title\": \"T\",");
    assertThatThrownBy(() -> SquadFormat.read(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("x.json")
        .hasMessageContaining("truncated");
  }

  @Test
  void malformedJsonAndMissingFile() {
    assertThatThrownBy(() -> SquadFormat.read(Fixtures.write(dir.resolve("m.json"), "{\"data\":\n [}\n")))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("m.json:2:")
        .hasMessageContaining("malformed JSON");
    assertThatThrownBy(() -> SquadFormat.read(dir.resolve("none.json")))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("none.json")
        .hasMessageContaining("file not found");
  }
}
