package dev.quarry.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.io.DataFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Property-based checks of the readers: generated valid files round-trip through the writers, and generated
 * corruptions (truncation, byte flips, invalid UTF-8, duplicated lines, an id with a space, a dropped column) either
 * still read (some corruptions leave a valid file) or fail with a {@link DataFormatException} that names the file and
 * a line of it, never another exception.
 */
class ReaderPropertiesTest {
  /** Ids from characters a real collection uses, never whitespace. */
  @Provide
  Arbitrary<String> ids() {
    return Arbitraries.strings().withChars("abcXYZ0123456789-_.:/#").ofMinLength(1).ofMaxLength(8);
  }

  @Provide
  Arbitrary<Set<String>> idSets() {
    return ids().set().ofMinSize(1).ofMaxSize(6);
  }

  /** Any text without lone surrogates (which UTF-8 cannot hold): quotes, backslashes, controls and non-ASCII too. */
  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.strings().withCharRange('\u0000', '\ud7ff').ofMaxLength(40);
  }

  @Provide
  Arbitrary<Run> runs() {
    Arbitrary<Double> scores = Arbitraries.doubles().between(-1e6, 1e6).ofScale(3);
    Arbitrary<List<ScoredDoc>> rankings = Combinators.combine(ids(), scores).as(ScoredDoc::new).list()
        .ofMinSize(1).ofMaxSize(6).uniqueElements(ScoredDoc::docId);
    return Arbitraries.maps(ids(), rankings).ofMinSize(1).ofMaxSize(5).map(m -> {
      Run.Builder b = Run.builder("tag");
      m.forEach((q, docs) -> b.put(q, sortedByScore(docs)));
      return b.build();
    });
  }

  private static List<ScoredDoc> sortedByScore(List<ScoredDoc> docs) {
    List<ScoredDoc> out = new ArrayList<>(docs);
    out.sort((a, b) -> Double.compare(b.score(), a.score()));
    return out;
  }

  @Property(tries = 100)
  void trecRunsRoundTrip(@ForAll("runs") Run run) throws IOException {
    Path file = Files.createTempFile("quarry-prop", ".trec");
    try {
      TrecFormat.writeRun(file, run);
      Run back = TrecFormat.readRun(file);
      assertThat(back.queryIds()).containsExactlyElementsOf(run.queryIds());
      // a run of floats only is written as floats (TrecFormat.formatScore): its scores read back as the same floats
      boolean floats = TrecFormat.allFloats(run);
      for (String q : run.queryIds()) {
        assertThat(back.docs(q)).map(ScoredDoc::docId).containsExactlyElementsOf(
            run.docs(q).stream().map(ScoredDoc::docId).toList());
        assertThat(back.docs(q)).map(d -> floats ? (float) d.score() : d.score()).containsExactlyElementsOf(
            run.docs(q).stream().map(d -> floats ? (float) d.score() : d.score()).toList());
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** A float score and a double printed next to each other keep their order (CI found 695319.875 vs 695319.88). */
  @Property(tries = 200)
  void floatAndDoubleScoresKeepTheirOrder(@ForAll("floatScores") float f) throws IOException {
    double other = Math.nextUp((double) f);
    Run run = Run.builder("t").add("q", new ScoredDoc("hi", other)).add("q", new ScoredDoc("lo", f)).build();
    Path file = Files.createTempFile("quarry-prop", ".trec");
    try {
      TrecFormat.writeRun(file, run);
      assertThat(TrecFormat.readRun(file).docs("q")).containsExactlyElementsOf(run.docs("q"));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Provide
  Arbitrary<Float> floatScores() {
    return Arbitraries.floats().between(-1e7f, 1e7f);
  }

  @Property(tries = 100)
  void msMarcoRunsRoundTripTheirOrder(@ForAll("runs") Run run) throws IOException {
    Path file = Files.createTempFile("quarry-prop", ".tsv");
    try {
      MsMarcoFormat.writeRun(file, run);
      Run back = MsMarcoFormat.readRun(file);
      for (String q : run.queryIds()) {
        assertThat(back.docs(q).stream().map(ScoredDoc::docId)).containsExactlyElementsOf(
            run.docs(q).stream().map(ScoredDoc::docId).toList());
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Property(tries = 60)
  void beirCorpusAndQueriesRoundTrip(@ForAll("idSets") Set<String> docIds, @ForAll("texts") String text)
      throws IOException {
    Path file = Files.createTempFile("quarry-prop", ".jsonl");
    try {
      List<Passage> passages = docIds.stream().map(id -> new Passage(id, "t " + id, text)).toList();
      BeirFormat.writeCorpus(file, passages);
      List<Passage> back = new ArrayList<>();
      BeirFormat.readCorpus(file, back::add);
      assertThat(back).containsExactlyElementsOf(passages);
      BeirFormat.writeQueries(file, docIds.stream().map(id -> new Query(id, text)).toList());
      assertThat(BeirFormat.readQueries(file)).extracting(Query::id).containsExactlyElementsOf(docIds);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** A corruption of a file's bytes. */
  enum Corruption { TRUNCATE, FLIP_BYTE, BAD_UTF8, DUPLICATE_LINE, SPACE_IN_ID, DROP_COLUMN }

  /** The formats under test, each with a valid sample and its reader. */
  enum Format {
    TREC_RUN("run.trec", "q1 Q0 d1 1 2.5 t\nq1 Q0 d2 2 1.5 t\nq2 Q0 d1 1 0.5 t\n", TrecFormat::readRun),
    MSMARCO_RUN("run.tsv", "q1\td1\t1\nq1\td2\t2\nq2\td1\t1\n", MsMarcoFormat::readRun),
    TREC_QRELS("qrels.txt", "q1 0 d1 1\nq1 0 d2 0\nq2 0 d1 2\n", TrecFormat::readQrels),
    BEIR_QRELS("test.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n", BeirFormat::readQrels),
    BEIR_CORPUS("corpus.jsonl", "{\"_id\":\"d1\",\"title\":\"a\",\"text\":\"x y\"}\n{\"_id\":\"d2\",\"text\":\"z\"}\n",
        f -> {
          BeirFormat.readCorpus(f, p -> { });
          return null;
        }),
    BEIR_QUERIES("queries.jsonl", "{\"_id\":\"q1\",\"text\":\"x y\"}\n{\"_id\":\"q2\",\"text\":\"z\"}\n",
        BeirFormat::readQueries),
    MSMARCO_QUERIES("queries.tsv", "q1\tfever\nq2\taspirin dose\n", MsMarcoFormat::readQueries);

    final String name;
    final String sample;
    final Consumer<Path> reader;

    Format(String name, String sample, ReaderCall reader) {
      this.name = name;
      this.sample = sample;
      this.reader = f -> reader.read(f);
    }

    interface ReaderCall {
      Object read(Path file);
    }
  }

  @Property(tries = 400)
  void corruptionsGiveADataFormatErrorNamingTheFileAndALine(@ForAll Format format, @ForAll Corruption corruption,
      @ForAll @IntRange(min = 0, max = 10_000) int where, @ForAll @IntRange(min = 1, max = 255) int mask)
      throws IOException {
    Path dir = Files.createTempDirectory("quarry-prop");
    Path file = dir.resolve(format.name);
    try {
      byte[] bytes = corrupt(format.sample, corruption, where, mask);
      Files.write(file, bytes);
      long lines = new String(bytes, StandardCharsets.ISO_8859_1).lines().count();
      try {
        format.reader.accept(file);
      } catch (DataFormatException e) {
        assertThat(e.file()).isEqualTo(file);
        assertThat(e.getMessage()).startsWith(file.toString());
        assertThat(e.line()).isBetween(0L, lines + 1);
      }
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }

  private static byte[] corrupt(String sample, Corruption corruption, int where, int mask) {
    byte[] b = sample.getBytes(StandardCharsets.UTF_8);
    int at = where % b.length;
    List<String> lines = new ArrayList<>(sample.lines().toList());
    int line = where % lines.size();
    switch (corruption) {
      case TRUNCATE -> {
        return java.util.Arrays.copyOf(b, at);
      }
      case FLIP_BYTE -> {
        b[at] ^= (byte) mask;
        return b;
      }
      case BAD_UTF8 -> {
        byte[] out = new byte[b.length + 2];
        System.arraycopy(b, 0, out, 0, at);
        out[at] = (byte) 0xC3;
        out[at + 1] = (byte) 0x28;
        System.arraycopy(b, at, out, at + 2, b.length - at);
        return out;
      }
      case DUPLICATE_LINE -> lines.add(line, lines.get(line));
      case SPACE_IN_ID -> lines.set(line, lines.get(line).replaceFirst("([qd])([0-9])", "$1 $2"));
      case DROP_COLUMN -> lines.set(line, lines.get(line).replaceFirst("[\\t ][^\\t ]*$", ""));
    }
    return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
