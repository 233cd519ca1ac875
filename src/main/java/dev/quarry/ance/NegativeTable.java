package dev.quarry.ance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.DataFormatException;
import dev.quarry.io.JsonLines;
import dev.quarry.io.TextLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What one index refresh gives the trainer: every training query's retrieved passage ids, best first, under the
 * weights of step {@code step}. The trainer needs nothing else from the index, so this table is also what a resumed
 * run reloads instead of rebuilding the index.
 *
 * <p>On disk: {@code tables/step-NNNNNNNN.jsonl}, one line per query, {@code {"query_id": ..., "hits": [...]}}.
 *
 * @param step the optimizer step whose weights encoded the corpus and the queries
 * @param hits per training query id, the retrieved passage ids, best first
 */
public record NegativeTable(long step, Map<String, List<String>> hits) {
  private static final Pattern NAME = Pattern.compile("step-(\\d+)\\.jsonl");

  public NegativeTable {
    if (step < 0) {
      throw new IllegalArgumentException("step must not be negative; step=" + step);
    }
    hits = Collections.unmodifiableMap(new LinkedHashMap<>(hits));
  }

  /** The ids at 1-based ranks {@code from .. to} of a query's list (fewer when the list is shorter). */
  public List<String> ranks(String queryId, int from, int to) {
    List<String> list = hits.get(queryId);
    if (list == null) {
      throw new IllegalArgumentException("the index table of step " + step + " has no hits for query " + queryId);
    }
    return list.subList(Math.min(from - 1, list.size()), Math.min(to, list.size()));
  }

  /** Writes the table atomically into {@code folder} as {@code step-NNNNNNNN.jsonl}; returns the file. */
  public Path write(Path folder) {
    Path file = folder.resolve(String.format(java.util.Locale.ROOT, "step-%08d.jsonl", step));
    try {
      Files.createDirectories(folder);
      try (AtomicOutput out = AtomicOutput.create(file)) {
        Writer w = out.writer();
        for (Map.Entry<String, List<String>> e : hits.entrySet()) {
          ObjectNode line = JsonLines.MAPPER.createObjectNode();
          line.put("query_id", e.getKey());
          ArrayNode ids = line.putArray("hits");
          e.getValue().forEach(ids::add);
          w.write(JsonLines.MAPPER.writeValueAsString(line));
          w.write('\n');
        }
        w.flush();
        out.commit();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  /** Reads a table written by {@link #write}; the step comes from the file name. */
  public static NegativeTable read(Path file) {
    Matcher m = NAME.matcher(file.getFileName().toString());
    if (!m.matches()) {
      throw new DataFormatException(file, "an index table file must be named step-NNNNNNNN.jsonl", null);
    }
    Map<String, List<String>> hits = new LinkedHashMap<>();
    try (TextLines lines = TextLines.open(file)) {
      for (String line = lines.next(); line != null; line = lines.next()) {
        ObjectNode o = JsonLines.parseObject(lines, line);
        String id = JsonLines.requireText(o, "query_id", lines::error);
        JsonNode array = o.get("hits");
        if (array == null || !array.isArray()) {
          throw lines.error("field \"hits\" must be an array of passage ids");
        }
        List<String> ids = new ArrayList<>(array.size());
        for (JsonNode h : array) {
          if (!h.isTextual()) {
            throw lines.error("field \"hits\" must hold strings, found " + h.getNodeType());
          }
          ids.add(h.asText());
        }
        if (hits.put(id, List.copyOf(ids)) != null) {
          throw lines.error("query " + id + " appears twice");
        }
      }
    }
    return new NegativeTable(Long.parseLong(m.group(1)), hits);
  }

  /**
   * The newest table in {@code folder} made at or before {@code step}; tables made after it (by a run killed after
   * its last checkpoint) are deleted, since the resumed run will make its own.
   */
  public static Optional<NegativeTable> newestAtOrBefore(Path folder, long step) {
    if (!Files.isDirectory(folder)) {
      return Optional.empty();
    }
    Path best = null;
    long bestStep = -1;
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : files.toList()) {
        Matcher m = NAME.matcher(f.getFileName().toString());
        if (!m.matches()) {
          continue;
        }
        long s = Long.parseLong(m.group(1));
        if (s > step) {
          Files.delete(f);
        } else if (s > bestStep) {
          best = f;
          bestStep = s;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
    return Optional.ofNullable(best).map(NegativeTable::read);
  }
}
