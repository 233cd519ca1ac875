package dev.quarry.ance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.JsonLines;
import dev.quarry.io.TextLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code OUT/ance/refresh-log.jsonl}: one line per index refresh, appended as each is published (a resumed run
 * appends to its predecessor's log). Thread-safe.
 */
public final class RefreshLog {
  /** The file name inside the ANCE folder. */
  public static final String FILE = "refresh-log.jsonl";

  /** How a table was built. */
  public enum Mode {
    /** On the trainer's thread, which waited for it: the first table of a run with none to resume. */
    SYNCHRONOUS,
    /** By the background refresher while the trainer went on. */
    BACKGROUND
  }

  /**
   * One refresh.
   *
   * @param refresh 1-based count over the run, resumes included
   * @param weightsStep the trainer step whose weights it encoded with
   * @param publishedAtStep the trainer step in progress when it was published
   */
  public record Entry(int refresh, Mode mode, long weightsStep, long publishedAtStep, double encodeSeconds,
      double indexSeconds, double searchSeconds) {
    public double totalSeconds() {
      return encodeSeconds + indexSeconds + searchSeconds;
    }

    ObjectNode toJson() {
      ObjectNode o = JsonLines.MAPPER.createObjectNode();
      o.put("refresh", refresh);
      o.put("mode", mode.name().toLowerCase(Locale.ROOT));
      o.put("weights_step", weightsStep);
      o.put("published_at_step", publishedAtStep);
      o.put("encode_seconds", encodeSeconds);
      o.put("index_seconds", indexSeconds);
      o.put("search_seconds", searchSeconds);
      o.put("total_seconds", totalSeconds());
      return o;
    }
  }

  private final Path file;
  private int count;

  private RefreshLog(Path file, int count) {
    this.file = file;
    this.count = count;
  }

  /**
   * Opens the log in {@code folder}, continuing the count of an existing one. A last line cut short by a kill in the
   * middle of an append is dropped; damage anywhere else is an error naming the line.
   */
  public static RefreshLog open(Path folder) {
    Path file = folder.resolve(FILE);
    if (!Files.exists(file)) {
      return new RefreshLog(file, 0);
    }
    try {
      List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
      while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
        lines.remove(lines.size() - 1);
      }
      if (!lines.isEmpty()) {
        try {
          JsonLines.MAPPER.readTree(lines.get(lines.size() - 1)).get("refresh").asInt();
        } catch (IOException | RuntimeException torn) {
          lines.remove(lines.size() - 1);
          AtomicOutput.writeString(file, lines.isEmpty() ? "" : String.join("\n", lines) + "\n");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return new RefreshLog(file, read(file).size());
  }

  /** Appends a refresh and returns its entry. */
  public synchronized Entry append(Mode mode, long weightsStep, long publishedAtStep, IndexRefresher.Built built) {
    Entry e = new Entry(count + 1, mode, weightsStep, publishedAtStep, built.encodeSeconds(), built.indexSeconds(),
        built.searchSeconds());
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, JsonLines.MAPPER.writeValueAsString(e.toJson()) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot append to " + file, ex);
    }
    count++;
    return e;
  }

  /** Every entry of a log file. */
  public static List<Entry> read(Path file) {
    List<Entry> entries = new ArrayList<>();
    try (TextLines lines = TextLines.open(file)) {
      for (String line = lines.next(); line != null; line = lines.next()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode o = JsonLines.parseObject(lines, line);
        try {
          entries.add(new Entry(o.get("refresh").asInt(), Mode.valueOf(o.get("mode").asText().toUpperCase(Locale.ROOT)),
              o.get("weights_step").asLong(), o.get("published_at_step").asLong(),
              o.get("encode_seconds").asDouble(), o.get("index_seconds").asDouble(),
              o.get("search_seconds").asDouble()));
        } catch (RuntimeException e) {
          throw lines.error("not a refresh log entry: " + e.getMessage());
        }
      }
    }
    return entries;
  }
}
