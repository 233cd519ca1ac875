package dev.quarry.data;

import dev.quarry.io.AtomicOutput;
import dev.quarry.io.DataFormatException;
import dev.quarry.io.TextLines;
import dev.quarry.io.Tsv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * TREC run files ({@code qid Q0 docid rank score tag}) and TREC qrels ({@code qid iter docid rel}), whitespace
 * separated, as trec_eval reads them.
 */
public final class TrecFormat {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private TrecFormat() {
  }

  /**
   * Reads a TREC run as trec_eval does: whitespace-separated, blank lines skipped, columns after the sixth ignored,
   * the tag taken from the last line. The rank column must be an integer but is otherwise ignored (trec_eval ranks by
   * score); a document listed twice for one query is an error, as in trec_eval.
   */
  public static Run readRun(Path file) {
    Run.Builder run = null;
    String tag = null;
    Map<String, Set<String>> seen = new HashMap<>();
    try (TextLines lines = TextLines.open(file)) {
      for (String line; (line = lines.next()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = WHITESPACE.split(line.strip());
        if (f.length < 6) {   // more are ignored, as trec_eval ignores them (its format.run golden file)
          throw lines.error("expected 6 columns (qid Q0 docid rank score tag), found " + f.length);
        }
        Tsv.parseInt(lines, f[3], "rank");
        double score = Tsv.parseDouble(lines, f[4], "score");
        if (!Double.isFinite(score)) {
          throw lines.error("score must be a finite number, found " + f[4]);
        }
        if (run == null) {
          run = Run.builder(f[5]);
        }
        tag = f[5];
        if (!seen.computeIfAbsent(f[0], q -> new HashSet<>()).add(f[2])) {
          throw lines.error("document " + f[2] + " is retrieved twice for query " + f[0]);
        }
        run.add(f[0], new ScoredDoc(f[2], score));
      }
    }
    return run == null ? Run.builder("empty").build() : run.build().withTag(tag);
  }

  /**
   * Checks, before anything is written, that every id, the tag and every score of {@code run} can be written and read
   * back ({@link Ids}; finite scores).
   */
  static void requireWritable(Path file, Run run, boolean tagged) {
    if (tagged) {
      Ids.requireWritable(run.tag(), "run tag", file);
    }
    for (String qid : run.queryIds()) {
      Ids.requireWritable(qid, "query id", file);
      for (ScoredDoc doc : run.docs(qid)) {
        Ids.requireWritable(doc.docId(), "document id", file);
        if (!Double.isFinite(doc.score())) {
          throw new IllegalArgumentException("cannot write " + file + ": query " + qid + ", document " + doc.docId()
              + " has the score " + doc.score() + "; a run's scores must be finite");
        }
      }
    }
  }

  /** Writes a run in the order its rankings are stored, numbering ranks from 1. */
  public static void writeRun(Path file, Run run) {
    requireWritable(file, run, true);
    try (AtomicOutput out = AtomicOutput.create(file)) {
      Writer w = out.writer();
      StringBuilder line = new StringBuilder(96);
      boolean floats = allFloats(run);
      for (String qid : run.queryIds()) {
        int rank = 0;
        for (ScoredDoc doc : run.docs(qid)) {
          line.setLength(0);
          line.append(qid).append(" Q0 ").append(doc.docId()).append(' ').append(++rank).append(' ')
              .append(formatScore(doc.score(), floats)).append(' ').append(run.tag()).append('\n');
          w.write(line.toString());
        }
      }
      out.commit();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * The text of one score of a run, the shortest decimal that reads back as the same value. In a run whose scores are
   * all exactly floats (Lucene's and the dense indexes' scores), {@code floats} is true and each score is printed as
   * that float ({@code 0.1}, not {@code 0.10000000149011612}); it reads back as a double that rounds to the same float.
   * A run with any other score is printed with full double precision, every score of it: mixing the two would let a
   * float's shortest text ({@code 695319.9} for {@code 695319.875f}) pass a nearby double ({@code 695319.88}) and
   * change the ranking that trec_eval reads from the scores.
   */
  public static String formatScore(double score, boolean floats) {
    return floats ? Float.toString((float) score) : Double.toString(score);
  }

  /** Whether every score of {@code run} is exactly a float, the condition for {@link #formatScore}'s short form. */
  public static boolean allFloats(Run run) {
    for (String qid : run.queryIds()) {
      for (ScoredDoc doc : run.docs(qid)) {
        if ((double) (float) doc.score() != doc.score()) {
          return false;
        }
      }
    }
    return true;
  }

  /** Reads TREC qrels ({@code qid iter docid rel}, whitespace separated; MS MARCO qrels have this shape too). */
  public static Qrels readQrels(Path file) {
    Qrels.Builder qrels = Qrels.builder(file);
    try (TextLines lines = TextLines.open(file)) {
      for (String line; (line = lines.next()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = WHITESPACE.split(line.strip());
        if (f.length != 4) {
          throw lines.error("expected 4 columns (qid iter docid rel), found " + f.length);
        }
        qrels.add(f[0], f[2], Tsv.parseInt(lines, f[3], "relevance"), lines.lineNumber());
      }
    }
    return qrels.build();
  }

  /** Writes qrels in TREC form with iteration 0. */
  public static void writeQrels(Path file, Qrels qrels) {
    try (AtomicOutput out = AtomicOutput.create(file)) {
      Writer w = out.writer();
      for (String qid : qrels.queryIds()) {
        for (Map.Entry<String, Integer> j : qrels.judgments(qid).entrySet()) {
          w.write(qid + " 0 " + j.getKey() + " " + j.getValue() + "\n");
        }
      }
      out.commit();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Reads qrels in any supported layout: BEIR TSV (with its header) or TREC/MS MARCO four-column. */
  public static Qrels readAnyQrels(Path file) {
    String first;
    try (TextLines lines = TextLines.open(file)) {
      first = lines.next();
    }
    if (first == null) {
      throw new DataFormatException(file, "empty qrels file", null);
    }
    return first.startsWith("query-id") || Tsv.split(first).length == 3
        ? BeirFormat.readQrels(file)
        : readQrels(file);
  }

  /** Reads a run in TREC (6 columns) or MS MARCO ({@code qid<TAB>pid<TAB>rank}) form, told apart by its first line. */
  public static Run readAnyRun(Path file) {
    String first;
    try (TextLines lines = TextLines.open(file)) {
      first = lines.next();
    }
    return first != null && Tsv.split(first).length == 3 ? MsMarcoFormat.readRun(file) : readRun(file);
  }
}
