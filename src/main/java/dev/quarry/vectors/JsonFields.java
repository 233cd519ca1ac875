package dev.quarry.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.DataFormatException;
import java.util.Objects;
import java.util.regex.Pattern;

/** Typed, checked access to the fields of one JSON object of this format; every problem names the field. */
final class JsonFields {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /** Where problems are reported: a file. */
  @FunctionalInterface
  interface Errors {
    DataFormatException error(String problem);
  }

  private final JsonNode object;
  private final Errors errors;
  private final String where;

  JsonFields(JsonNode object, Errors errors, String where) {
    this.object = object;
    this.errors = errors;
    this.where = where;
  }

  private JsonNode require(String field) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      throw errors.error(where + "missing field \"" + field + "\"");
    }
    return value;
  }

  String text(String field) {
    JsonNode value = require(field);
    if (!value.isTextual()) {
      throw errors.error(where + "field \"" + field + "\" must be a string, found " + value.getNodeType());
    }
    return value.asText();
  }

  long integer(String field, long min, long max) {
    JsonNode value = require(field);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw errors.error(where + "field \"" + field + "\" must be an integer, found " + value);
    }
    long v = value.longValue();
    if (v < min || v > max) {
      throw errors.error(where + "field \"" + field + "\" must be in [" + min + ", " + max + "], found " + v);
    }
    return v;
  }

  boolean bool(String field) {
    JsonNode value = require(field);
    if (!value.isBoolean()) {
      throw errors.error(where + "field \"" + field + "\" must be true or false, found " + value);
    }
    return value.booleanValue();
  }

  String sha256(String field) {
    String value = text(field);
    if (!SHA256.matcher(value).matches()) {
      throw errors.error(where + "field \"" + field + "\" must be 64 lowercase hex digits, found \"" + value + "\"");
    }
    return value;
  }

  ObjectNode object(String field) {
    JsonNode value = require(field);
    if (!value.isObject()) {
      throw errors.error(where + "field \"" + field + "\" must be a JSON object, found " + value.getNodeType());
    }
    return (ObjectNode) value;
  }

  JsonNode array(String field) {
    JsonNode value = require(field);
    if (!value.isArray()) {
      throw errors.error(where + "field \"" + field + "\" must be an array, found " + value.getNodeType());
    }
    return value;
  }

  /** Fails unless a field read already has the value the rest of the manifest implies. */
  void expect(String field, Object found, Object expected) {
    if (!Objects.equals(found, expected)) {
      throw errors.error(where + "field \"" + field + "\" is " + quote(found) + ", expected " + quote(expected));
    }
  }

  private static String quote(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }
}
