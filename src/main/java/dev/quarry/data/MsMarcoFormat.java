package dev.quarry.data;

import dev.quarry.io.AtomicOutput;
import dev.quarry.io.TextLines;
import dev.quarry.io.Tsv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * MS MARCO passage files: {@code collection.tsv} ({@code pid<TAB>passage}), {@code queries.<split>.tsv}
 * ({@code qid<TAB>query}), {@code qrels.<split>.tsv} ({@code qid<TAB>0<TAB>pid<TAB>rel}) and runs
 * ({@code qid<TAB>pid<TAB>rank}, 1-based ranks). No header lines.
 */
public final class MsMarcoFormat {
  private MsMarcoFormat() {
  }

  public static void readCollection(Path file, Consumer<Passage> sink) {
    Map<String, Long> seen = new HashMap<>();
    try (TextLines lines = TextLines.open(file)) {
      for (String line; (line = lines.next()) != null; ) {
        if (line.isEmpty()) {
          continue;
        }
        String[] f = Tsv.split(lines, line, 2, "pid, passage");
        Ids.check(f[0], "passage id", lines::error);
        Long first = seen.putIfAbsent(f[0], lines.lineNumber());
        if (first != null) {
          throw lines.error("duplicate passage id \"" + f[0] + "\" (first at line " + first + ")");
        }
        sink.accept(new Passage(f[0], "", f[1]));
      }
    }
  }

  public static List<Query> readQueries(Path file) {
    List<Query> queries = new ArrayList<>();
    Map<String, Long> seen = new HashMap<>();
    try (TextLines lines = TextLines.open(file)) {
      for (String line; (line = lines.next()) != null; ) {
        if (line.isEmpty()) {
          continue;
        }
        String[] f = Tsv.split(lines, line, 2, "qid, query");
        Ids.check(f[0], "query id", lines::error);
        Long first = seen.putIfAbsent(f[0], lines.lineNumber());
        if (first != null) {
          throw lines.error("duplicate query id \"" + f[0] + "\" (first at line " + first + ")");
        }
        queries.add(new Query(f[0], f[1]));
      }
    }
    return queries;
  }

  /** MS MARCO qrels have TREC's four columns (tab separated). */
  public static Qrels readQrels(Path file) {
    return TrecFormat.readQrels(file);
  }

  /**
   * Reads a {@code qid<TAB>pid<TAB>rank} run. Ranks must be positive and unique per query; as the official
   * evaluation script does, the rank column orders the list (the stored score is {@code -rank}) and a passage
   * listed twice for a query is an error.
   */
  public static Run readRun(Path file) {
    Run.Builder run = Run.builder("msmarco");
    Map<String, Set<String>> seenDocs = new HashMap<>();
    Map<String, Set<Integer>> seenRanks = new HashMap<>();
    try (TextLines lines = TextLines.open(file)) {
      for (String line; (line = lines.next()) != null; ) {
        if (line.isEmpty()) {
          continue;
        }
        String[] f = Tsv.split(lines, line, 3, "qid, pid, rank");
        Ids.check(f[0], "query id", lines::error);
        Ids.check(f[1], "passage id", lines::error);
        int rank = Tsv.parseInt(lines, f[2], "rank");
        if (rank < 1) {
          throw lines.error("rank must be 1 or more, found " + rank);
        }
        if (!seenDocs.computeIfAbsent(f[0], q -> new HashSet<>()).add(f[1])) {
          throw lines.error("passage " + f[1] + " is listed twice for query " + f[0]);
        }
        if (!seenRanks.computeIfAbsent(f[0], q -> new HashSet<>()).add(rank)) {
          throw lines.error("rank " + rank + " is used twice for query " + f[0]);
        }
        run.add(f[0], new ScoredDoc(f[1], -rank));
      }
    }
    return run.build();
  }

  /** Writes a run as {@code qid<TAB>pid<TAB>rank} in stored order. */
  public static void writeRun(Path file, Run run) {
    TrecFormat.requireWritable(file, run, false);
    try (AtomicOutput out = AtomicOutput.create(file)) {
      Writer w = out.writer();
      for (String qid : run.queryIds()) {
        int rank = 0;
        for (ScoredDoc doc : run.docs(qid)) {
          w.write(qid + "\t" + doc.docId() + "\t" + (++rank) + "\n");
        }
      }
      out.commit();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
