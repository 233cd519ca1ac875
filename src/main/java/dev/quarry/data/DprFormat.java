package dev.quarry.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.io.DataFormatException;
import dev.quarry.io.JsonErrors;
import dev.quarry.io.JsonLines;
import dev.quarry.io.TextLines;
import dev.quarry.io.Tsv;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * DPR's files: the training JSON (an array of {@code question}, {@code answers}, {@code positive_ctxs},
 * {@code negative_ctxs}, {@code hard_negative_ctxs}), streamed element by element, and the Wikipedia passages TSV
 * ({@code id<TAB>text<TAB>title} after a header, text quoted as Python's csv module writes it).
 */
public final class DprFormat {
  private DprFormat() {
  }

  /** One passage of a DPR example; {@code passageId} is null where the file gives none. */
  public record Context(String passageId, String title, String text, Double score) {
  }

  /** One DPR training or evaluation example. */
  public record Example(String question, List<String> answers, List<Context> positives, List<Context> negatives,
      List<Context> hardNegatives, long line) {
  }

  /** Streams the passages TSV; the header must name {@code id}, {@code text} and {@code title} columns. */
  public static void readPassages(Path file, Consumer<Passage> sink) {
    Map<String, Long> seen = new HashMap<>();
    try (TextLines lines = TextLines.open(file)) {
      String header = lines.next();
      if (header == null) {
        throw new DataFormatException(file, "empty passages file", null);
      }
      List<String> columns = Tsv.splitQuoted(lines, header);
      int id = columns.indexOf("id");
      int text = columns.indexOf("text");
      int title = columns.indexOf("title");
      if (id < 0 || text < 0 || title < 0) {
        throw lines.error("header must name the columns id, text and title, found " + columns);
      }
      for (String line; (line = lines.next()) != null; ) {
        if (line.isEmpty()) {
          continue;
        }
        List<String> f = Tsv.splitQuoted(lines, line);
        if (f.size() != columns.size()) {
          throw lines.error("expected " + columns.size() + " columns " + columns + ", found " + f.size());
        }
        Ids.check(f.get(id), "passage id", lines::error);
        Long first = seen.putIfAbsent(f.get(id), lines.lineNumber());
        if (first != null) {
          throw lines.error("duplicate passage id \"" + f.get(id) + "\" (first at line " + first + ")");
        }
        sink.accept(new Passage(f.get(id), f.get(title), f.get(text)));
      }
    }
  }

  /** Streams the examples of a DPR training JSON file to {@code sink}. */
  public static void readExamples(Path file, Consumer<Example> sink) {
    JsonErrors.CountingInput counted = null;
    try (InputStream raw = open(file); JsonParser parser = JsonLines.MAPPER.createParser(
        counted = new JsonErrors.CountingInput(raw))) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw new DataFormatException(file, line(parser.currentLocation()), "expected a JSON array of examples");
      }
      for (JsonToken t; (t = parser.nextToken()) != JsonToken.END_ARRAY; ) {
        if (t == null) {
          throw new DataFormatException(file, line(parser.currentLocation()), "truncated file: the array never closes");
        }
        long line = line(parser.currentLocation());
        if (t != JsonToken.START_OBJECT) {
          throw new DataFormatException(file, line, "expected an example object, found " + t);
        }
        JsonNode o = parser.readValueAsTree();
        JsonLines.ErrorSink errors = problem -> new DataFormatException(file, line, problem);
        sink.accept(new Example(
            JsonLines.requireText(o, "question", errors),
            strings(o, "answers", errors),
            contexts(o, "positive_ctxs", errors),
            contexts(o, "negative_ctxs", errors),
            contexts(o, "hard_negative_ctxs", errors),
            line));
      }
    } catch (JsonProcessingException e) {
      throw JsonErrors.of(file, e, counted);
    } catch (java.io.EOFException | java.util.zip.ZipException e) {
      throw new DataFormatException(file, 0, "truncated or corrupt compressed file: " + e.getMessage(), e);
    } catch (NoSuchFileException e) {
      throw new DataFormatException(file, "file not found", e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file, e);
    }
  }

  private static InputStream open(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
  }

  private static long line(JsonLocation location) {
    return location == null ? 0 : Math.max(0, location.getLineNr());
  }

  private static List<String> strings(JsonNode o, String field, JsonLines.ErrorSink errors) {
    JsonNode array = o.get(field);
    if (array == null || array.isNull()) {
      return List.of();
    }
    if (!array.isArray()) {
      throw errors.error("field \"" + field + "\" must be an array of strings");
    }
    List<String> out = new ArrayList<>(array.size());
    for (JsonNode item : array) {
      if (!item.isTextual()) {
        throw errors.error("field \"" + field + "\" must be an array of strings, found " + item.getNodeType());
      }
      out.add(item.asText());
    }
    return out;
  }

  private static List<Context> contexts(JsonNode o, String field, JsonLines.ErrorSink errors) {
    JsonNode array = o.get(field);
    if (array == null || array.isNull()) {
      return List.of();
    }
    if (!array.isArray()) {
      throw errors.error("field \"" + field + "\" must be an array of passages");
    }
    List<Context> out = new ArrayList<>(array.size());
    for (JsonNode c : array) {
      if (!c.isObject()) {
        throw errors.error("field \"" + field + "\" must hold objects, found " + c.getNodeType());
      }
      String id = JsonLines.optionalText(c, "passage_id", null, errors);
      if (id == null) {
        id = JsonLines.optionalText(c, "psg_id", null, errors);
      }
      if (id != null) {
        Ids.check(id, field + ": passage id", errors);
      }
      JsonNode score = c.get("score");
      out.add(new Context(id,
          JsonLines.optionalText(c, "title", "", errors),
          JsonLines.requireText(c, "text", p -> errors.error(field + ": " + p)),
          score != null && score.isNumber() ? score.asDouble() : null));
    }
    return out;
  }
}
