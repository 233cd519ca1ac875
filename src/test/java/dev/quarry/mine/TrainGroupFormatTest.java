package dev.quarry.mine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.data.Passage;
import dev.quarry.io.DataFormatException;
import dev.quarry.io.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TrainGroupFormatTest {
  static final String GOOD = "{\"query_id\":\"q1\",\"query\":\"q\",\"positives\":[{\"id\":\"p\",\"title\":\"\",\"text\":\"t\"}],"
      + "\"negatives\":[{\"id\":\"n\",\"title\":\"T\",\"text\":\"u\",\"source\":\"bm25\",\"rank\":3,\"score\":1.5}]}";

  @TempDir
  Path dir;

  static List<TrainGroup> sample() {
    return List.of(
        new TrainGroup("q1", "what is \"quoted\"\tand tabbed?", List.of(new Passage("d1", "Title", "Text with é and 中文"),
            new Passage("d2", "", "line one\nline two\r\n")),
            List.of(TrainGroup.Negative.ranked(new Passage("d7", "Seven", "seven"), "bm25", 4, 13.257899284362793),
                TrainGroup.Negative.ranked(new Passage("d8", "", "eight"), "dense", 30, -0.1f),
                TrainGroup.Negative.random(new Passage("d9", "Nine", "nine")))),
        new TrainGroup("42", "no negatives", List.of(new Passage("d3", "T", "x")), List.of()));
  }

  @Test
  void roundTripsEveryField() {
    Path file = dir.resolve("out/groups.jsonl");
    TrainGroupFormat.write(file, sample());
    assertThat(TrainGroupFormat.read(file)).isEqualTo(sample());
    assertThat(Fixtures.read(file).lines()).hasSize(2);
  }

  @Test
  void writesTheDocumentedFieldsInOrderWithNullsForRandomNegatives() throws Exception {
    Path file = dir.resolve("groups.jsonl");
    TrainGroupFormat.write(file, sample().subList(0, 1));
    String line = Files.readAllLines(file).get(0);
    assertThat(line).startsWith("{\"query_id\":\"q1\",\"query\":").contains("\"positives\":[{\"id\":\"d1\",\"title\":"
        + "\"Title\",\"text\":\"Text with é and 中文\"}").contains("{\"id\":\"d7\",\"title\":\"Seven\",\"text\":\"seven\","
        + "\"source\":\"bm25\",\"rank\":4,\"score\":13.257899284362793}")
        .contains("{\"id\":\"d9\",\"title\":\"Nine\",\"text\":\"nine\",\"source\":\"random\",\"rank\":null,\"score\":null}");
  }

  @Test
  void readsGzipIgnoresUnknownFieldsAndBlankLines() {
    Path file = Fixtures.writeGzip(dir.resolve("g.jsonl.gz"),
        GOOD.replace("{\"query_id\"", "{\"extra\":{\"a\":1},\"query_id\"") + "\n\n");
    List<TrainGroup> groups = TrainGroupFormat.read(file);
    assertThat(groups).hasSize(1);
    assertThat(groups.get(0).negatives().get(0)).isEqualTo(
        TrainGroup.Negative.ranked(new Passage("n", "T", "u"), "bm25", 3, 1.5));
  }

  @Test
  void aFailedWriteLeavesTheOldFile() throws Exception {
    Path file = Fixtures.write(dir.resolve("groups.jsonl"), GOOD + "\n");
    try (TrainGroupFormat.Writer writer = TrainGroupFormat.writer(file)) {
      writer.write(sample().get(0));
      // no commit: a job that died here
    }
    assertThat(Fixtures.read(file)).isEqualTo(GOOD + "\n");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  static Stream<Arguments> badLines() {
    String negative = "{\"id\":\"n\",\"title\":\"T\",\"text\":\"u\",\"source\":\"bm25\",\"rank\":3,\"score\":1.5}";
    return Stream.of(
        Arguments.of("{\"query_id\": \"q1\",", "malformed JSON"),
        Arguments.of("[1, 2]", "expected a JSON object, found ARRAY"),
        Arguments.of(GOOD.replace("\"query_id\":\"q1\",", ""), "missing field \"query_id\""),
        Arguments.of(GOOD.replace("\"query\":\"q\",", ""), "missing field \"query\""),
        Arguments.of(GOOD.replace("\"query\":\"q\"", "\"query\":[\"q\"]"), "field \"query\" must be a string, found ARRAY"),
        Arguments.of(GOOD.replace("\"positives\":[{\"id\":\"p\",\"title\":\"\",\"text\":\"t\"}],", ""),
            "missing field \"positives\""),
        Arguments.of(GOOD.replace("\"positives\":[{\"id\":\"p\",\"title\":\"\",\"text\":\"t\"}]", "\"positives\":{}"),
            "field \"positives\" must be an array, found OBJECT"),
        Arguments.of(GOOD.replace("\"positives\":[{\"id\":\"p\",\"title\":\"\",\"text\":\"t\"}]", "\"positives\":[]"),
            "field \"positives\" is empty; a group needs at least one positive"),
        Arguments.of(GOOD.replace("[{\"id\":\"p\",\"title\":\"\",\"text\":\"t\"}]", "[\"p\"]"),
            "positives[0] must be an object, found STRING"),
        Arguments.of(GOOD.replace("{\"id\":\"p\",", "{"), "positives[0]: missing field \"id\""),
        Arguments.of(GOOD.replace("\"title\":\"\",", ""), "positives[0]: missing field \"title\""),
        Arguments.of(GOOD.replace(",\"text\":\"t\"", ""), "positives[0]: missing field \"text\""),
        Arguments.of(GOOD.replace(",\"negatives\":[" + negative + "]", ""), "missing field \"negatives\""),
        Arguments.of(GOOD.replace("\"negatives\":[" + negative + "]", "\"negatives\":null"),
            "missing field \"negatives\""),
        Arguments.of(GOOD.replace("\"source\":\"bm25\",", ""), "negatives[0]: missing field \"source\""),
        Arguments.of(GOOD.replace("\"source\":\"bm25\"", "\"source\":\" \""), "negatives[0]: field \"source\" is blank"),
        Arguments.of(GOOD.replace("\"rank\":3,", ""),
            "negatives[0]: missing field \"rank\" (write null when there is none)"),
        Arguments.of(GOOD.replace("\"rank\":3", "\"rank\":0"),
            "negatives[0]: field \"rank\" must be an integer >= 1 or null, found 0"),
        Arguments.of(GOOD.replace("\"rank\":3", "\"rank\":2.5"),
            "negatives[0]: field \"rank\" must be an integer >= 1 or null, found 2.5"),
        Arguments.of(GOOD.replace("\"rank\":3", "\"rank\":\"3\""),
            "negatives[0]: field \"rank\" must be an integer >= 1 or null, found \"3\""),
        Arguments.of(GOOD.replace(",\"score\":1.5", ""),
            "negatives[0]: missing field \"score\" (write null when there is none)"),
        Arguments.of(GOOD.replace("\"score\":1.5", "\"score\":\"high\""),
            "negatives[0]: field \"score\" must be a finite number or null, found \"high\""),
        Arguments.of(GOOD.replace("\"score\":1.5", "\"score\":1e999"),
            "negatives[0]: field \"score\" must be a finite number or null"),
        Arguments.of(GOOD.replace("\"id\":\"n\"", "\"id\":\"p\""),
            "query q1 has p both as a positive and as a negative"),
        Arguments.of(GOOD.replace("[" + negative + "]", "[" + negative + "," + negative + "]"),
            "query q1 lists negative n twice"),
        Arguments.of(GOOD.replace("[{\"id\":\"p\",\"title\":\"\",\"text\":\"t\"}]",
            "[{\"id\":\"p\",\"title\":\"\",\"text\":\"t\"},{\"id\":\"p\",\"title\":\"\",\"text\":\"t\"}]"),
            "query q1 lists positive p twice"),
        Arguments.of(GOOD.replace("\"text\":\"t\"}", "\"text\":\"t\",\"teacher_score\":2.5}"),
            "teacher_score is given for 1 of the group's 2 passages; give it for all of them or none"),
        Arguments.of(GOOD.replace("\"text\":\"t\"}", "\"text\":\"t\",\"teacher_score\":\"x\"}"),
            "positives[0]: field \"teacher_score\" must be a finite number, found \"x\""));
  }

  @Test
  void teacherScoresRoundTripOnEveryPassage() {
    Path file = dir.resolve("scored.jsonl");
    TrainGroup g = sample().get(0);
    TrainGroup scored = g.withTeacherScores(java.util.Map.of("d1", 3.25, "d2", -1.0, "d7", 0.5, "d8", 1e-3,
        "d9", -7.0));
    TrainGroupFormat.write(file, List.of(scored, sample().get(1)));
    List<TrainGroup> back = TrainGroupFormat.read(file);
    assertThat(back.get(0)).isEqualTo(scored);
    assertThat(back.get(0).teacherScores()).containsEntry("d7", 0.5).hasSize(5);
    assertThat(back.get(1).teacherScores()).isEmpty();
    assertThat(Fixtures.read(file)).contains("\"teacher_score\":3.25").doesNotContain("d3\",\"title\":\"T\","
        + "\"text\":\"x\",\"teacher_score\"");
    assertThatThrownBy(() -> g.withTeacherScores(java.util.Map.of("d5", 1.0)))
        .hasMessageContaining("teacher score for d5, which is none of its passages");
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badLines")
  void badInputNamesFileAndLine(String badLine, String problem) {
    // the bad line comes second, after a good group and a blank line, so the line number is 3
    Path file = Fixtures.write(dir.resolve("bad.jsonl"), GOOD.replace("q1", "q0") + "\n\n" + badLine + "\n");
    assertThatThrownBy(() -> TrainGroupFormat.read(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(file + ":3: ")
        .hasMessageContaining(problem)
        .satisfies(e -> assertThat(((DataFormatException) e).line()).isEqualTo(3));
  }

  @Test
  void duplicateQueryIdNamesBothLines() {
    Path file = Fixtures.write(dir.resolve("dup.jsonl"), GOOD + "\n" + GOOD.replace("\"id\":\"n\"", "\"id\":\"m\"") + "\n");
    assertThatThrownBy(() -> TrainGroupFormat.read(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(file + ":2: duplicate query_id \"q1\" (first at line 1)");
  }

  @Test
  void invalidUtf8AndMissingFilesAreReported() {
    Path file = Fixtures.writeBytes(dir.resolve("bin.jsonl"), Fixtures.concat(Fixtures.utf8(GOOD + "\n"),
        new byte[] {'{', (byte) 0xC3, '}', '\n'}));
    assertThatThrownBy(() -> TrainGroupFormat.read(file)).isInstanceOf(DataFormatException.class)
        .hasMessage(file + ":2: invalid UTF-8");
    Path missing = dir.resolve("missing.jsonl");
    assertThatThrownBy(() -> TrainGroupFormat.read(missing)).isInstanceOf(DataFormatException.class)
        .hasMessage(missing + ": file not found");
  }

  @Test
  void recordsRejectWhatTheFormatForbids() {
    Passage p = new Passage("p", "", "t");
    assertThatThrownBy(() -> new TrainGroup("q", "x", List.of(), List.of()))
        .hasMessage("query q has no positives; a group needs at least one");
    assertThatThrownBy(() -> TrainGroup.Negative.ranked(p, "bm25", 0, 1.0))
        .hasMessage("rank of negative p must be >= 1 or null; rank=0");
    assertThatThrownBy(() -> TrainGroup.Negative.ranked(p, "bm25", 1, Double.NaN))
        .hasMessage("score of negative p must be finite or null; score=NaN");
    assertThatThrownBy(() -> new TrainGroup.Negative(p, "", null, null))
        .hasMessage("negative p needs a non-blank source");
  }
}
