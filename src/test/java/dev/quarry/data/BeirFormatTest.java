package dev.quarry.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.quarry.io.DataFormatException;
import dev.quarry.io.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BeirFormatTest {
  @TempDir
  Path dir;

  private static List<Passage> corpus(Path file) {
    List<Passage> out = new ArrayList<>();
    BeirFormat.readCorpus(file, out::add);
    return out;
  }

  @Test
  void readsCorpusInFileOrderIgnoringMetadataAndBlankLines() {
    Path file = Fixtures.write(dir.resolve("corpus.jsonl"), """
        {"_id": "d1", "title": "First", "text": "Alpha text.", "metadata": {"url": "x"}}

        {"_id": 42, "text": "No title here."}
        {"_id": "d3", "title": null, "text": "Null title \\"quoted\\" é"}
        """);
    assertThat(corpus(file)).containsExactly(
        new Passage("d1", "First", "Alpha text."),
        new Passage("42", "", "No title here."),
        new Passage("d3", "", "Null title \"quoted\" é"));
  }

  @Test
  void readsGzippedCorpus() {
    Path file = Fixtures.writeGzip(dir.resolve("corpus.jsonl.gz"),
        "{\"_id\":\"a\",\"title\":\"T\",\"text\":\"x\"}\n{\"_id\":\"b\",\"text\":\"y\"}\n");
    assertThat(corpus(file)).extracting(Passage::id).containsExactly("a", "b");
  }

  @Test
  void readsQueriesInFileOrder() {
    Path file = Fixtures.write(dir.resolve("queries.jsonl"), """
        {"_id": "q2", "text": "second query", "metadata": {}}
        {"_id": "q1", "text": "first query"}
        """);
    assertThat(BeirFormat.readQueries(file)).containsExactly(new Query("q2", "second query"), new Query("q1", "first query"));
  }

  @Test
  void readsQrelsWithHeader() {
    Path file = Fixtures.write(dir.resolve("test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\t2\nq2\td1\t0\n");
    Qrels qrels = BeirFormat.readQrels(file);
    assertThat(qrels.size()).isEqualTo(3);
    assertThat(qrels.queryIds()).containsExactly("q1", "q2");
    assertThat(qrels.judgments("q1")).containsExactly(entry("d1", 1), entry("d2", 2));
    assertThat(qrels.relevance("q2", "d1")).contains(0);
    assertThat(qrels.relevance("q2", "d9")).isEmpty();
    assertThat(qrels.source()).isEqualTo(file);
    assertThat(qrels.locate("q1", "d2")).isEqualTo(file + ":3");
  }

  @Test
  void readsQrelsWithoutHeader() {
    Path file = Fixtures.write(dir.resolve("test.tsv"), "q1\td1\t1\nq2\td3\t1\n");
    Qrels qrels = BeirFormat.readQrels(file);
    assertThat(qrels.size()).isEqualTo(2);
    assertThat(qrels.queryIds()).containsExactly("q1", "q2");
    assertThat(qrels.locate("q1", "d1")).isEqualTo(file + ":1");
  }

  @Test
  void writesAndReadsBackCorpusQueriesAndQrels() {
    List<Passage> passages = List.of(new Passage("1", "T\tab", "line\nbreak \"q\""), new Passage("2", "", "plain"));
    BeirFormat.writeCorpus(dir.resolve("corpus.jsonl"), passages);
    assertThat(corpus(dir.resolve("corpus.jsonl"))).isEqualTo(passages);

    List<Query> queries = List.of(new Query("a", "what?"), new Query("b", "ü"));
    BeirFormat.writeQueries(dir.resolve("queries.jsonl"), queries);
    assertThat(BeirFormat.readQueries(dir.resolve("queries.jsonl"))).isEqualTo(queries);

    Qrels qrels = Qrels.builder(null).add("a", "1", 1, 0).add("a", "2", 0, 0).add("b", "2", 3, 0).build();
    BeirFormat.writeQrels(dir.resolve("qrels/test.tsv"), qrels);
    assertThat(Fixtures.read(dir.resolve("qrels/test.tsv"))).startsWith("query-id\tcorpus-id\tscore\n");
    Qrels back = BeirFormat.readQrels(dir.resolve("qrels/test.tsv"));
    assertThat(back.queryIds()).containsExactly("a", "b");
    assertThat(back.judgments("a")).containsExactly(entry("1", 1), entry("2", 0));
    assertThat(back.judgments("b")).containsExactly(entry("2", 3));
  }

  // ---- bad input: every error names the file and the 1-based line ----

  @Test
  void malformedJsonLine() {
    Path file = Fixtures.write(dir.resolve("corpus.jsonl"), """
        {"_id": "1", "text": "a"}
        {"_id": "2", "text": "b"}
        {"_id": "3", "text": "c"
        {"_id": "4", "text": "d"}
        """);
    assertThatThrownBy(() -> corpus(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("corpus.jsonl:3:")
        .hasMessageContaining("malformed JSON")
        .satisfies(e -> assertThat(((DataFormatException) e).line()).isEqualTo(3));
  }

  @Test
  void missingId() {
    Path file = Fixtures.write(dir.resolve("corpus.jsonl"), "{\"_id\": \"1\", \"text\": \"a\"}\n{\"text\": \"b\"}\n");
    assertThatThrownBy(() -> corpus(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("corpus.jsonl:2:")
        .hasMessageContaining("missing field \"_id\"");
  }

  @Test
  void missingText() {
    Path file = Fixtures.write(dir.resolve("corpus.jsonl"), "{\"_id\": \"1\", \"title\": \"a\"}\n");
    assertThatThrownBy(() -> corpus(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("corpus.jsonl:1:")
        .hasMessageContaining("missing field \"text\"");
  }

  @Test
  void idOfTheWrongType() {
    Path file = Fixtures.write(dir.resolve("corpus.jsonl"),
        "{\"_id\": \"1\", \"text\": \"a\"}\n{\"_id\": \"2\", \"text\": \"b\"}\n{\"_id\": [\"3\"], \"text\": \"c\"}\n");
    assertThatThrownBy(() -> corpus(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("corpus.jsonl:3:")
        .hasMessageContaining("\"_id\" must be a string, found ARRAY");
  }

  @Test
  void duplicateDocumentIdNamesBothLines() {
    Path file = Fixtures.write(dir.resolve("corpus.jsonl"), """
        {"_id": "x", "text": "a"}
        {"_id": "y", "text": "b"}
        {"_id": "z", "text": "c"}
        {"_id": "y", "text": "d"}
        """);
    assertThatThrownBy(() -> corpus(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("corpus.jsonl:4:")
        .hasMessageContaining("duplicate document id \"y\"")
        .hasMessageContaining("first at line 2");
  }

  @Test
  void numericAndStringIdsThatReadTheSameAreDuplicates() {
    Path file = Fixtures.write(dir.resolve("corpus.jsonl"), "{\"_id\": 5, \"text\": \"a\"}\n{\"_id\": \"5\", \"text\": \"b\"}\n");
    assertThatThrownBy(() -> corpus(file)).isInstanceOf(DataFormatException.class).hasMessageContaining("corpus.jsonl:2:");
  }

  @Test
  void duplicateQueryId() {
    Path file = Fixtures.write(dir.resolve("queries.jsonl"),
        "{\"_id\": \"q1\", \"text\": \"a\"}\n{\"_id\": \"q1\", \"text\": \"b\"}\n");
    assertThatThrownBy(() -> BeirFormat.readQueries(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("queries.jsonl:2:")
        .hasMessageContaining("duplicate query id \"q1\"")
        .hasMessageContaining("first at line 1");
  }

  @Test
  void invalidUtf8IsReportedWithTheFileName() {
    // Line 2 holds the bad bytes; see TextLinesTest.invalidUtf8OnLine2IsReportedAtLine2 for the line number.
    Path file = Fixtures.writeBytes(dir.resolve("corpus.jsonl"), Fixtures.concat(
        Fixtures.utf8("{\"_id\": \"1\", \"text\": \"a\"}\n{\"_id\": \"2\", \"text\": \""),
        new byte[] {(byte) 0xC3, 0x28}, Fixtures.utf8("\"}\n")));
    assertThatThrownBy(() -> corpus(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("corpus.jsonl:")
        .hasMessageContaining("invalid UTF-8");
  }

  @Test
  void truncatedGzipCorpus() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      s.append("{\"_id\": \"").append(i).append("\", \"text\": \"passage ").append(Integer.toHexString(i * 0x9E3779B1))
          .append("\"}\n");
    }
    byte[] whole = Fixtures.gzip(s.toString());
    Path file = Fixtures.writeBytes(dir.resolve("corpus.jsonl.gz"), Fixtures.cut(whole, whole.length - 10));
    assertThatThrownBy(() -> corpus(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("corpus.jsonl.gz:")
        .hasMessageContaining("truncated");
  }

  @Test
  void qrelsWithTheWrongNumberOfColumns() {
    Path file = Fixtures.write(dir.resolve("test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\n");
    assertThatThrownBy(() -> BeirFormat.readQrels(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("test.tsv:3:")
        .hasMessageContaining("expected 3 tab-separated columns");
  }

  @Test
  void qrelsWithNonIntegerRelevance() {
    Path file = Fixtures.write(dir.resolve("test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\tyes\n");
    assertThatThrownBy(() -> BeirFormat.readQrels(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("test.tsv:3:")
        .hasMessageContaining("score must be an integer, found \"yes\"");
  }

  @Test
  void qrelsJudgingAPairTwice() {
    Path file = Fixtures.write(dir.resolve("test.tsv"), "q1\td1\t1\nq2\td1\t1\nq1\td1\t0\n");
    assertThatThrownBy(() -> BeirFormat.readQrels(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("test.tsv:3:")
        .hasMessageContaining("twice")
        .hasMessageContaining("first at line 1");
  }

  @Test
  void headerIsOnlyRecognisedOnTheFirstLine() {
    Path file = Fixtures.write(dir.resolve("test.tsv"), "q1\td1\t1\nquery-id\tcorpus-id\tscore\n");
    assertThatThrownBy(() -> BeirFormat.readQrels(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("test.tsv:2:");
  }

  @Test
  void missingFiles() {
    assertThatThrownBy(() -> corpus(dir.resolve("corpus.jsonl")))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("corpus.jsonl")
        .hasMessageContaining("file not found");
    assertThatThrownBy(() -> BeirFormat.readQueries(dir.resolve("queries.jsonl")))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("file not found");
    assertThatThrownBy(() -> BeirFormat.readQrels(dir.resolve("test.tsv")))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("test.tsv").hasMessageContaining("file not found");
  }
}
