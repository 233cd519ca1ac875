package dev.quarry.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesTest {
  @TempDir
  Path dir;

  private TextLines atLine(int n) {
    Path file = Fixtures.write(dir.resolve("j.jsonl"), "{}\n".repeat(n));
    TextLines lines = TextLines.open(file);
    for (int i = 0; i < n; i++) {
      lines.next();
    }
    return lines;
  }

  @Test
  void parsesObjectsAndReadsTextFields() {
    try (TextLines lines = atLine(1)) {
      ObjectNode o = JsonLines.parseObject(lines, "{\"_id\": 7, \"text\": \"t\", \"title\": null}");
      assertThat(JsonLines.requireText(o, "_id", lines::error)).isEqualTo("7");
      assertThat(JsonLines.requireText(o, "text", lines::error)).isEqualTo("t");
      assertThat(JsonLines.optionalText(o, "title", "none", lines::error)).isEqualTo("none");
      assertThat(JsonLines.optionalText(o, "absent", "fb", lines::error)).isEqualTo("fb");
    }
  }

  @Test
  void reportsMalformedJsonAndNonObjectsAtTheLine() {
    try (TextLines lines = atLine(3)) {
      assertThatThrownBy(() -> JsonLines.parseObject(lines, "{\"_id\": \"1\", "))
          .isInstanceOf(DataFormatException.class)
          .hasMessageContaining("j.jsonl:3:")
          .hasMessageContaining("malformed JSON");
      assertThatThrownBy(() -> JsonLines.parseObject(lines, "[1, 2]"))
          .isInstanceOf(DataFormatException.class)
          .hasMessageContaining("j.jsonl:3:")
          .hasMessageContaining("expected a JSON object");
      assertThatThrownBy(() -> JsonLines.parseObject(lines, "\"just a string\""))
          .isInstanceOf(DataFormatException.class)
          .hasMessageContaining("expected a JSON object");
    }
  }

  @Test
  void reportsMissingAndWronglyTypedFields() {
    try (TextLines lines = atLine(2)) {
      ObjectNode o = JsonLines.parseObject(lines, "{\"_id\": [\"a\"], \"title\": {\"x\": 1}, \"n\": null}");
      assertThatThrownBy(() -> JsonLines.requireText(o, "_id", lines::error))
          .isInstanceOf(DataFormatException.class)
          .hasMessageContaining("j.jsonl:2:")
          .hasMessageContaining("field \"_id\" must be a string, found ARRAY");
      assertThatThrownBy(() -> JsonLines.requireText(o, "text", lines::error))
          .hasMessageContaining("j.jsonl:2:")
          .hasMessageContaining("missing field \"text\"");
      assertThatThrownBy(() -> JsonLines.requireText(o, "n", lines::error))
          .hasMessageContaining("missing field \"n\"");
      assertThatThrownBy(() -> JsonLines.optionalText(o, "title", "", lines::error))
          .hasMessageContaining("field \"title\" must be a string, found OBJECT");
    }
  }
}
