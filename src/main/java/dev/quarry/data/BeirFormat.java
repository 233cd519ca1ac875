package dev.quarry.data;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.JsonLines;
import dev.quarry.io.TextLines;
import dev.quarry.io.Tsv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * BEIR's files: {@code corpus.jsonl} ({@code _id}, {@code title}, {@code text}), {@code queries.jsonl}
 * ({@code _id}, {@code text}) and {@code qrels/<split>.tsv} ({@code query-id<TAB>corpus-id<TAB>score} after a header).
 * Other fields (BEIR's {@code metadata}) are ignored.
 */
public final class BeirFormat {
  private BeirFormat() {
  }

  /** Streams the corpus to {@code sink}; a duplicate {@code _id} is an error naming both lines. */
  public static void readCorpus(Path file, Consumer<Passage> sink) {
    Map<String, Long> seen = new HashMap<>();
    try (TextLines lines = TextLines.open(file)) {
      for (String line; (line = lines.next()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        ObjectNode o = JsonLines.parseObject(lines, line);
        String id = Ids.check(JsonLines.requireText(o, "_id", lines::error), "document id", lines::error);
        String title = JsonLines.optionalText(o, "title", "", lines::error);
        String text = JsonLines.requireText(o, "text", lines::error);
        Long first = seen.putIfAbsent(id, lines.lineNumber());
        if (first != null) {
          throw lines.error("duplicate document id \"" + id + "\" (first at line " + first + ")");
        }
        sink.accept(new Passage(id, title, text));
      }
    }
  }

  /** Reads every query in file order; a duplicate {@code _id} is an error. */
  public static List<Query> readQueries(Path file) {
    List<Query> queries = new ArrayList<>();
    Map<String, Long> seen = new HashMap<>();
    try (TextLines lines = TextLines.open(file)) {
      for (String line; (line = lines.next()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        ObjectNode o = JsonLines.parseObject(lines, line);
        String id = Ids.check(JsonLines.requireText(o, "_id", lines::error), "query id", lines::error);
        String text = JsonLines.requireText(o, "text", lines::error);
        Long first = seen.putIfAbsent(id, lines.lineNumber());
        if (first != null) {
          throw lines.error("duplicate query id \"" + id + "\" (first at line " + first + ")");
        }
        queries.add(new Query(id, text));
      }
    }
    return queries;
  }

  /** Reads BEIR qrels; the header line is optional. */
  public static Qrels readQrels(Path file) {
    Qrels.Builder qrels = Qrels.builder(file);
    try (TextLines lines = TextLines.open(file)) {
      for (String line; (line = lines.next()) != null; ) {
        if (line.isBlank() || (lines.lineNumber() == 1 && line.startsWith("query-id"))) {
          continue;
        }
        String[] f = Tsv.split(lines, line, 3, "query-id, corpus-id, score");
        qrels.add(f[0], f[1], Tsv.parseInt(lines, f[2], "score"), lines.lineNumber());
      }
    }
    return qrels.build();
  }

  public static void writeQrels(Path file, Qrels qrels) {
    try (AtomicOutput out = AtomicOutput.create(file)) {
      Writer w = out.writer();
      w.write("query-id\tcorpus-id\tscore\n");
      for (String qid : qrels.queryIds()) {
        for (Map.Entry<String, Integer> j : qrels.judgments(qid).entrySet()) {
          w.write(qid + "\t" + j.getKey() + "\t" + j.getValue() + "\n");
        }
      }
      out.commit();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Writes passages as {@code corpus.jsonl}. */
  public static void writeCorpus(Path file, Iterable<Passage> passages) {
    writeJsonl(file, passages, p -> {
      ObjectNode o = JsonLines.MAPPER.createObjectNode();
      o.put("_id", p.id()).put("title", p.title()).put("text", p.text());
      return o;
    });
  }

  /** Writes queries as {@code queries.jsonl}. */
  public static void writeQueries(Path file, Iterable<Query> queries) {
    writeJsonl(file, queries, q -> JsonLines.MAPPER.createObjectNode().put("_id", q.id()).put("text", q.text()));
  }

  private static <T> void writeJsonl(Path file, Iterable<T> items, java.util.function.Function<T, ObjectNode> toJson) {
    try (AtomicOutput out = AtomicOutput.create(file)) {
      Writer w = out.writer();
      for (T item : items) {
        w.write(JsonLines.MAPPER.writeValueAsString(toJson.apply(item)));
        w.write('\n');
      }
      out.commit();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
