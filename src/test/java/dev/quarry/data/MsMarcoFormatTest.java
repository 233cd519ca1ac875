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

class MsMarcoFormatTest {
  @TempDir
  Path dir;

  private static List<Passage> collection(Path file) {
    List<Passage> out = new ArrayList<>();
    MsMarcoFormat.readCollection(file, out::add);
    return out;
  }

  @Test
  void readsCollection() {
    Path file = Fixtures.write(dir.resolve("collection.tsv"),
        "0\tThe presence of communication amid scientific minds.\n1\t\"Quotes\" are kept as is.\n\n7\t\n");
    assertThat(collection(file)).containsExactly(
        new Passage("0", "", "The presence of communication amid scientific minds."),
        new Passage("1", "", "\"Quotes\" are kept as is."),
        new Passage("7", "", ""));
  }

  @Test
  void readsGzippedCollection() {
    Path file = Fixtures.writeGzip(dir.resolve("collection.tsv.gz"), "10\tten\n11\televen\n");
    assertThat(collection(file)).extracting(Passage::id, Passage::text)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("10", "ten"), org.assertj.core.groups.Tuple.tuple("11", "eleven"));
  }

  @Test
  void readsQueries() {
    Path file = Fixtures.write(dir.resolve("queries.dev.tsv"), "1048585\twhat is paula deen's brother\n2\t)what was\n");
    assertThat(MsMarcoFormat.readQueries(file))
        .containsExactly(new Query("1048585", "what is paula deen's brother"), new Query("2", ")what was"));
  }

  @Test
  void readsFourColumnQrels() {
    Path file = Fixtures.write(dir.resolve("qrels.dev.tsv"), "1102432\t0\t2026790\t1\n1102432\t0\t7\t1\n2\t0\t8\t1\n");
    Qrels qrels = MsMarcoFormat.readQrels(file);
    assertThat(qrels.size()).isEqualTo(3);
    assertThat(qrels.queryIds()).containsExactly("1102432", "2");
    assertThat(qrels.judgments("1102432")).containsExactly(entry("2026790", 1), entry("7", 1));
  }

  @Test
  void readsRunWithNegatedRankAsScoreInFileOrder() {
    Path file = Fixtures.write(dir.resolve("run.tsv"), "q1\tp9\t1\nq1\tp3\t2\nq2\tp1\t1\nq1\tp5\t3\n");
    Run run = MsMarcoFormat.readRun(file);
    assertThat(run.queryIds()).containsExactly("q1", "q2");
    assertThat(run.docs("q1")).containsExactly(new ScoredDoc("p9", -1), new ScoredDoc("p3", -2), new ScoredDoc("p5", -3));
    assertThat(run.docs("q2")).containsExactly(new ScoredDoc("p1", -1));
    assertThat(run.size()).isEqualTo(4);
  }

  @Test
  void rankColumnNotFileOrderDecidesTheScore() {
    Path file = Fixtures.write(dir.resolve("run.tsv"), "q\tb\t2\nq\ta\t1\n");
    assertThat(MsMarcoFormat.readRun(file).docs("q")).containsExactly(new ScoredDoc("b", -2), new ScoredDoc("a", -1));
  }

  @Test
  void writesRunAndReadsItBack() {
    Run run = Run.builder("t").add("q1", new ScoredDoc("a", 3.5)).add("q1", new ScoredDoc("b", 1.0))
        .add("q2", new ScoredDoc("c", 0.1)).build();
    Path file = dir.resolve("out/run.tsv");
    MsMarcoFormat.writeRun(file, run);
    assertThat(Fixtures.read(file)).isEqualTo("q1\ta\t1\nq1\tb\t2\nq2\tc\t1\n");
    Run back = MsMarcoFormat.readRun(file);
    assertThat(back.docs("q1")).containsExactly(new ScoredDoc("a", -1), new ScoredDoc("b", -2));
  }

  // ---- bad input ----

  @Test
  void collectionLineWithTheWrongNumberOfColumns() {
    Path file = Fixtures.write(dir.resolve("collection.tsv"), "0\ta\n1\tb\textra\n");
    assertThatThrownBy(() -> collection(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("collection.tsv:2:")
        .hasMessageContaining("expected 2 tab-separated columns (pid, passage), found 3");
  }

  @Test
  void duplicatePassageId() {
    Path file = Fixtures.write(dir.resolve("collection.tsv"), "0\ta\n1\tb\n0\tc\n");
    assertThatThrownBy(() -> collection(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("collection.tsv:3:")
        .hasMessageContaining("duplicate passage id \"0\" (first at line 1)");
  }

  @Test
  void duplicateQueryId() {
    Path file = Fixtures.write(dir.resolve("queries.dev.tsv"), "1\ta\n2\tb\n2\tc\n");
    assertThatThrownBy(() -> MsMarcoFormat.readQueries(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("queries.dev.tsv:3:")
        .hasMessageContaining("duplicate query id \"2\" (first at line 2)");
  }

  @Test
  void qrelsWithNonIntegerRelevance() {
    Path file = Fixtures.write(dir.resolve("qrels.dev.tsv"), "1\t0\t5\t1\n1\t0\t6\tx\n");
    assertThatThrownBy(() -> MsMarcoFormat.readQrels(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("qrels.dev.tsv:2:")
        .hasMessageContaining("relevance must be an integer");
  }

  @Test
  void runErrors() {
    assertThatThrownBy(() -> MsMarcoFormat.readRun(Fixtures.write(dir.resolve("a.tsv"), "q\tp\t1\nq\tp2\n")))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("a.tsv:2:").hasMessageContaining("qid, pid, rank");
    assertThatThrownBy(() -> MsMarcoFormat.readRun(Fixtures.write(dir.resolve("b.tsv"), "q\tp\t1\nq\tp2\t0\n")))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("b.tsv:2:").hasMessageContaining("rank must be 1 or more");
    assertThatThrownBy(() -> MsMarcoFormat.readRun(Fixtures.write(dir.resolve("c.tsv"), "q\tp\t1\nq\tp\t2\n")))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("c.tsv:2:").hasMessageContaining("listed twice");
    assertThatThrownBy(() -> MsMarcoFormat.readRun(Fixtures.write(dir.resolve("d.tsv"), "q\tp\t1\nq\tp2\t1\n")))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("d.tsv:2:").hasMessageContaining("rank 1 is used twice");
    assertThatThrownBy(() -> MsMarcoFormat.readRun(Fixtures.write(dir.resolve("e.tsv"), "q\tp\tfirst\n")))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("e.tsv:1:").hasMessageContaining("rank must be an integer");
  }

  @Test
  void sameDocAndRankForDifferentQueriesIsFine() {
    Run run = MsMarcoFormat.readRun(Fixtures.write(dir.resolve("r.tsv"), "q1\tp\t1\nq2\tp\t1\n"));
    assertThat(run.size()).isEqualTo(2);
  }

  @Test
  void missingFile() {
    assertThatThrownBy(() -> collection(dir.resolve("collection.tsv")))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("collection.tsv")
        .hasMessageContaining("file not found");
  }
}
