package dev.quarry.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.io.DataFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One rule for ids ({@link Ids}): readers of every format reject an empty id or one with whitespace or a control
 * character, naming file and line; run writers refuse them (and non-finite scores) before touching the output; a TREC
 * run line with an infinite score is an error. Everything Quarry writes therefore reads back.
 */
class IdRuleTest {
  @TempDir
  Path tmp;

  static Stream<Arguments> brokenIds() {
    return Stream.of(
        Arguments.of("doc 1", "contains a space at position 3"),
        Arguments.of("doc\t1", "contains a tab at position 3"),
        Arguments.of("", "is empty"),
        Arguments.of(" ", "contains a space at position 0"),
        Arguments.of("doc\u00a01", "contains the character U+00A0 at position 3"),
        Arguments.of("doc\u00001", "contains the character U+0000 at position 3"),
        Arguments.of("\ud835\udc9cb\nc", "contains a line break at position 3"));   // after a surrogate pair
  }

  @ParameterizedTest
  @MethodSource("brokenIds")
  void idsWithWhitespaceControlsOrNothingBreakTheRule(String id, String problem) {
    assertThat(Ids.problem(id)).startsWith(problem);
  }

  @Test
  void ordinaryIdsKeepTheirCharacters() {
    for (String id : List.of("4983", "MED-10", "unlabeled-3", "a/b:c#d", "Ελληνικά", "doc_1.txt")) {
      assertThat(Ids.problem(id)).as(id).isNull();
    }
  }

  @Test
  void beirCorpusQueriesAndQrelsNameTheFileAndLine() throws Exception {
    Path corpus = tmp.resolve("corpus.jsonl");
    Files.writeString(corpus, "{\"_id\": \"d1\", \"text\": \"a\"}\n{\"_id\": \"d 2\", \"text\": \"b\"}\n");
    assertThatThrownBy(() -> BeirFormat.readCorpus(corpus, p -> { }))
        .isInstanceOf(DataFormatException.class).hasMessageContaining(corpus + ":2")
        .hasMessageContaining("document id \"d 2\" contains a space at position 1");
    Path queries = tmp.resolve("queries.jsonl");
    Files.writeString(queries, "{\"_id\": \"\", \"text\": \"q\"}\n");
    assertThatThrownBy(() -> BeirFormat.readQueries(queries))
        .isInstanceOf(DataFormatException.class).hasMessageContaining(queries + ":1")
        .hasMessageContaining("query id \"\" is empty");
    Path qrels = tmp.resolve("test.tsv");
    Files.writeString(qrels, "query-id\tcorpus-id\tscore\nq1\td 1\t1\n");
    assertThatThrownBy(() -> BeirFormat.readQrels(qrels))
        .isInstanceOf(DataFormatException.class).hasMessageContaining(qrels + ":2")
        .hasMessageContaining("document id \"d 1\"");
  }

  @Test
  void msMarcoRunsAndTrecRunsRejectWhatCannotRoundTrip() throws Exception {
    Path marco = tmp.resolve("run.tsv");
    Files.writeString(marco, "q1\tp1\t1\nq 2\tp1\t1\n");
    assertThatThrownBy(() -> MsMarcoFormat.readRun(marco))
        .isInstanceOf(DataFormatException.class).hasMessageContaining(marco + ":2")
        .hasMessageContaining("query id \"q 2\"");
    Path trec = tmp.resolve("run.trec");
    Files.writeString(trec, "q1 Q0 d1 1 Infinity tag\n");
    assertThatThrownBy(() -> TrecFormat.readRun(trec))
        .isInstanceOf(DataFormatException.class).hasMessageContaining(trec + ":1")
        .hasMessageContaining("score must be a finite number, found Infinity");
  }

  @Test
  void writersRefuseBeforeTouchingTheOutput() throws Exception {
    Path out = tmp.resolve("good.trec");
    Files.writeString(out, "q1 Q0 d1 1 1.0 earlier\n");
    Run.Builder spaced = Run.builder("tag");
    spaced.put("q1", List.of(new ScoredDoc("d 1", 1.0)));
    assertThatThrownBy(() -> TrecFormat.writeRun(out, spaced.build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("document id \"d 1\"");
    Run.Builder badTag = Run.builder("my run");
    badTag.put("q1", List.of(new ScoredDoc("d1", 1.0)));
    assertThatThrownBy(() -> TrecFormat.writeRun(out, badTag.build())).hasMessageContaining("run tag \"my run\"");
    Run.Builder nan = Run.builder("tag");
    nan.put("q1", List.of(new ScoredDoc("d1", Double.NaN)));
    assertThatThrownBy(() -> MsMarcoFormat.writeRun(out, nan.build())).hasMessageContaining("must be finite");
    assertThat(Files.readString(out)).isEqualTo("q1 Q0 d1 1 1.0 earlier\n");
    assertThat(tmp).isDirectoryNotContaining("glob:**.tmp*");
  }
}
