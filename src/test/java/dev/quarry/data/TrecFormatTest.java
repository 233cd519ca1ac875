package dev.quarry.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.quarry.io.DataFormatException;
import dev.quarry.io.Fixtures;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrecFormatTest {
  @TempDir
  Path dir;

  @Test
  void readsRunWhitespaceSeparatedInFileOrder() {
    Path file = Fixtures.write(dir.resolve("run.trec"),
        "q1 Q0 d3 1 12.5 bm25\n\nq1\tQ0\td1   2 -3 bm25\nq2 Q0 d1 1 1e-3 bm25 extra columns\n");
    Run run = TrecFormat.readRun(file);
    assertThat(run.tag()).isEqualTo("bm25");
    assertThat(run.queryIds()).containsExactly("q1", "q2");
    assertThat(run.docs("q1")).containsExactly(new ScoredDoc("d3", 12.5), new ScoredDoc("d1", -3.0));
    assertThat(run.docs("q2")).containsExactly(new ScoredDoc("d1", 0.001));
  }

  @Test
  void tagIsTakenFromTheLastLine() {
    Path file = Fixtures.write(dir.resolve("run.trec"), "q1 Q0 d1 1 2 first\nq1 Q0 d2 2 1 last\n");
    assertThat(TrecFormat.readRun(file).tag()).isEqualTo("last");
  }

  @Test
  void runRoundTripKeepsOrderTagAndFloatScoresExactly() {
    Random random = new Random(7);
    Run.Builder b = Run.builder("my-run");
    for (int q = 0; q < 5; q++) {
      for (int d = 0; d < 40; d++) {
        b.add("q" + q, new ScoredDoc("doc" + random.nextInt(1_000_000) + "_" + d, (double) (random.nextFloat() * 30 - 5)));
      }
    }
    b.add("q5", new ScoredDoc("a", 0.1)).add("q5", new ScoredDoc("b", 1e-12)).add("q5", new ScoredDoc("c", 1.0 / 3));
    Run run = b.build();
    Path file = dir.resolve("runs/out.trec");
    TrecFormat.writeRun(file, run);
    Run back = TrecFormat.readRun(file);
    assertThat(back.tag()).isEqualTo("my-run");
    assertThat(back.queryIds()).containsExactlyElementsOf(run.queryIds());
    for (String q : run.queryIds()) {
      List<ScoredDoc> want = run.docs(q);
      List<ScoredDoc> got = back.docs(q);
      assertThat(got).extracting(ScoredDoc::docId).containsExactlyElementsOf(want.stream().map(ScoredDoc::docId).toList());
      for (int i = 0; i < want.size(); i++) {
        double w = want.get(i).score();
        double g = got.get(i).score();
        if ((double) (float) w == w) {
          assertThat((float) g).as("float score of %s", want.get(i)).isEqualTo((float) w);
        } else {
          assertThat(g).as("double score of %s", want.get(i)).isEqualTo(w);
        }
      }
    }
    assertThat(Fixtures.read(file)).startsWith("q0 Q0 ").contains(" 1 ").endsWith(" my-run\n");
  }

  @Test
  void writtenLinesHaveSixColumnsAndRanksFromOne() {
    Run run = Run.builder("t").add("q", new ScoredDoc("x", 2.5f)).add("q", new ScoredDoc("y", 0.1f)).build();
    Path file = dir.resolve("r.trec");
    TrecFormat.writeRun(file, run);
    assertThat(Fixtures.read(file)).isEqualTo("q Q0 x 1 2.5 t\nq Q0 y 2 0.1 t\n");
  }

  @Test
  void aRunMixingFloatsAndDoublesKeepsItsRankingByScore() {
    // 695319.875 is a float whose shortest text, 695319.9, is above the double 695319.88 (CI's jqwik find)
    Run run = Run.builder("t").add("q", new ScoredDoc("b", 695319.88)).add("q", new ScoredDoc("a", 695319.875))
        .build();
    Path file = dir.resolve("mixed.trec");
    TrecFormat.writeRun(file, run);
    assertThat(TrecFormat.readRun(file).docs("q")).containsExactlyElementsOf(run.docs("q"));
    assertThat(Fixtures.read(file)).contains(" 695319.875 ");
  }

  @Test
  void formatScoreKeepsFloatScoresExact() {
    Random random = new Random(42);
    Set<String> texts = new HashSet<>();
    Set<Float> values = new HashSet<>();
    List<String> wrong = new java.util.ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      float f = i < 50_000 ? Float.intBitsToFloat(random.nextInt()) : random.nextFloat() * 50;
      if (!Float.isFinite(f)) {
        continue;
      }
      String text = TrecFormat.formatScore(f, true);
      if ((float) Double.parseDouble(text) != f || Float.parseFloat(text) != f) {
        wrong.add(text + " for " + f);
      }
      if (values.add(f) && !texts.add(text)) {
        wrong.add("two floats print as " + text);
      }
    }
    assertThat(wrong).isEmpty();
    // shortest float text for float scores, not the long double expansion
    assertThat(TrecFormat.formatScore(0.1f, true)).isEqualTo("0.1");
    assertThat(TrecFormat.formatScore(12.345678f, true)).isEqualTo("12.345678");
    assertThat(TrecFormat.formatScore(-3.0, true)).isEqualTo("-3.0");
  }

  @Test
  void formatScoreKeepsNonFloatDoublesExact() {
    Random random = new Random(3);
    int wrong = 0;
    for (int i = 0; i < 100_000; i++) {
      double d = random.nextGaussian() * 100;
      if (Double.parseDouble(TrecFormat.formatScore(d, false)) != d) {
        wrong++;
      }
    }
    assertThat(wrong).isZero();
    assertThat(TrecFormat.formatScore(0.1, false)).isEqualTo("0.1");
    assertThat(Double.parseDouble(TrecFormat.formatScore(1.0 / 3, false))).isEqualTo(1.0 / 3);
  }

  @Test
  void qrelsRoundTrip() {
    Path file = Fixtures.write(dir.resolve("q.qrels"), "301 0 FBIS3-10082 1\n301 0 FBIS3-10169 0\n\n302 1 d -1\n301 0 x 2\n");
    Qrels qrels = TrecFormat.readQrels(file);
    assertThat(qrels.size()).isEqualTo(4);
    assertThat(qrels.queryIds()).containsExactly("301", "302");
    assertThat(qrels.judgments("301")).containsExactly(entry("FBIS3-10082", 1), entry("FBIS3-10169", 0), entry("x", 2));
    assertThat(qrels.relevance("302", "d")).contains(-1);

    Path out = dir.resolve("out/q.qrels");
    TrecFormat.writeQrels(out, qrels);
    assertThat(Fixtures.read(out)).isEqualTo("301 0 FBIS3-10082 1\n301 0 FBIS3-10169 0\n301 0 x 2\n302 0 d -1\n");
    Qrels back = TrecFormat.readQrels(out);
    assertThat(back.queryIds()).containsExactly("301", "302");
    assertThat(back.judgments("301")).isEqualTo(qrels.judgments("301"));
    assertThat(back.judgments("302")).isEqualTo(qrels.judgments("302"));
  }

  @Test
  void readAnyQrelsAndRunTellTheLayoutsApart() {
    Path beir = Fixtures.write(dir.resolve("b.tsv"), "query-id\tcorpus-id\tscore\nq\td\t2\n");
    Path beirNoHeader = Fixtures.write(dir.resolve("c.tsv"), "q\td\t2\n");
    Path trec = Fixtures.write(dir.resolve("t.qrels"), "q 0 d 2\n");
    for (Path p : List.of(beir, beirNoHeader, trec)) {
      assertThat(TrecFormat.readAnyQrels(p).relevance("q", "d")).as(p.toString()).contains(2);
    }
    assertThatThrownBy(() -> TrecFormat.readAnyQrels(Fixtures.write(dir.resolve("e.tsv"), "")))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("e.tsv").hasMessageContaining("empty");

    Run msmarco = TrecFormat.readAnyRun(Fixtures.write(dir.resolve("m.tsv"), "q\td\t1\nq\te\t2\n"));
    assertThat(msmarco.docs("q")).containsExactly(new ScoredDoc("d", -1), new ScoredDoc("e", -2));
    Run trecRun = TrecFormat.readAnyRun(Fixtures.write(dir.resolve("r.trec"), "q Q0 d 1 0.5 tag\n"));
    assertThat(trecRun.docs("q")).containsExactly(new ScoredDoc("d", 0.5));
  }

  // ---- bad input ----

  @Test
  void runLineWithFiveColumns() {
    Path file = Fixtures.write(dir.resolve("bad.run"), "q1 Q0 d1 1 2.0 tag\nq1 Q0 d2 2 1.0 tag\nq1 Q0 d3 3 0.5\n");
    assertThatThrownBy(() -> TrecFormat.readRun(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("bad.run:3:")
        .hasMessageContaining("expected 6 columns (qid Q0 docid rank score tag), found 5");
  }

  @Test
  void runWithBadRankScoreOrDuplicateDocument() {
    assertThatThrownBy(() -> TrecFormat.readRun(Fixtures.write(dir.resolve("a.run"), "q Q0 d 1.5 1 t\n")))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("a.run:1:").hasMessageContaining("rank must be an integer");
    assertThatThrownBy(() -> TrecFormat.readRun(Fixtures.write(dir.resolve("b.run"), "q Q0 d 1 1 t\nq Q0 e 2 high t\n")))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("b.run:2:").hasMessageContaining("score must be a number");
    assertThatThrownBy(() -> TrecFormat.readRun(Fixtures.write(dir.resolve("c.run"), "q Q0 d 1 NaN t\n")))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("c.run:1:").hasMessageContaining("NaN");
    assertThatThrownBy(() -> TrecFormat.readRun(Fixtures.write(dir.resolve("d.run"), "q Q0 d 1 2 t\nq2 Q0 d 1 2 t\nq Q0 d 2 1 t\n")))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("d.run:3:")
        .hasMessageContaining("document d is retrieved twice for query q");
  }

  @Test
  void qrelsWithWrongColumnsOrNonIntegerRelevance() {
    assertThatThrownBy(() -> TrecFormat.readQrels(Fixtures.write(dir.resolve("a.qrels"), "1 0 d 1\n1 0 e\n")))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("a.qrels:2:")
        .hasMessageContaining("expected 4 columns (qid iter docid rel), found 3");
    assertThatThrownBy(() -> TrecFormat.readQrels(Fixtures.write(dir.resolve("b.qrels"), "1 0 d 1\n1 0 e 0.5\n")))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("b.qrels:2:")
        .hasMessageContaining("relevance must be an integer, found \"0.5\"");
  }

  @Test
  void emptyRunFileIsAnEmptyRun() {
    Run run = TrecFormat.readRun(Fixtures.write(dir.resolve("empty.run"), "\n"));
    assertThat(run.size()).isZero();
    assertThat(run.queryIds()).isEmpty();
  }

  @Test
  void missingFiles() {
    assertThatThrownBy(() -> TrecFormat.readRun(dir.resolve("no.run")))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("no.run").hasMessageContaining("file not found");
    assertThatThrownBy(() -> TrecFormat.readQrels(dir.resolve("no.qrels")))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("no.qrels").hasMessageContaining("file not found");
  }
}
