package dev.quarry.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Parsing of JSON objects one line at a time (JSONL), and typed field access with errors that name file and line. */
public final class JsonLines {
  /** Shared, thread-safe after configuration. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonLines() {
  }

  /** Parses the current line of {@code lines} as a JSON object. */
  public static ObjectNode parseObject(TextLines lines, String line) {
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw lines.error("malformed JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw lines.error("expected a JSON object, found " + (node == null ? "nothing" : node.getNodeType()));
    }
    return (ObjectNode) node;
  }

  /** A required field holding a string (a number is accepted and read as its text, as BEIR's loader does). */
  public static String requireText(JsonNode object, String field, ErrorSink errors) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      throw errors.error("missing field \"" + field + "\"");
    }
    if (value.isTextual() || value.isNumber()) {
      return value.asText();
    }
    throw errors.error("field \"" + field + "\" must be a string, found " + value.getNodeType());
  }

  /** An optional string field; {@code fallback} when absent or null. */
  public static String optionalText(JsonNode object, String field, String fallback, ErrorSink errors) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (value.isTextual() || value.isNumber()) {
      return value.asText();
    }
    throw errors.error("field \"" + field + "\" must be a string, found " + value.getNodeType());
  }

  /** Where a problem is reported: a line of a file. */
  @FunctionalInterface
  public interface ErrorSink {
    DataFormatException error(String problem);
  }
}
