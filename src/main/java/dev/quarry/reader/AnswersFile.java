package dev.quarry.reader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.JsonLines;
import dev.quarry.io.TextLines;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the per-question scores back from an answers file that {@code quarry qa} or {@code quarry train-reader}
 * wrote with gold answers ({@link QuestionAnswering.Prediction#toJson}), so that two readers or two retrievers can be
 * compared question by question.
 */
public final class AnswersFile {
  private AnswersFile() {
  }

  /** The per-question measures of an answers file. */
  public enum Measure {
    EXACT_MATCH("exact_match"), F1("f1");

    private final String field;

    Measure(String field) {
      this.field = field;
    }

    /** The JSON field, which is also the measure's name on the command line. */
    public String field() {
      return field;
    }
  }

  /**
   * Each question's value of {@code measure} (0 or 1 for exact match), in file order. A line without it (answers
   * written without gold answers), a repeated question or malformed JSON is an error naming the file and line.
   */
  public static Map<String, Double> values(Path file, Measure measure) {
    Map<String, Double> values = new LinkedHashMap<>();
    try (TextLines lines = TextLines.open(file)) {
      String line;
      while ((line = lines.next()) != null) {
        if (line.isBlank()) {
          continue;
        }
        ObjectNode o = JsonLines.parseObject(lines, line);
        String id = JsonLines.requireText(o, "query_id", lines::error);
        JsonNode v = o.get(measure.field());
        if (v == null || !v.isNumber()) {
          throw lines.error("no number in \"" + measure.field() + "\": answers scored against gold answers have one "
              + "(quarry qa on a split with answers)");
        }
        if (values.put(id, v.asDouble()) != null) {
          throw lines.error("question " + id + " appears twice");
        }
      }
    }
    return values;
  }
}
