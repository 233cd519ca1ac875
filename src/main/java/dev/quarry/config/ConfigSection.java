package dev.quarry.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.quarry.io.DataFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * One mapping of a YAML config with typed access to its keys. Creating it rejects any key it does not know, naming
 * the full key path and the file; each accessor rejects a value of the wrong type the same way.
 */
public final class ConfigSection {
  private final Path file;
  private final String path;
  private final JsonNode node;

  private ConfigSection(Path file, String path, JsonNode node) {
    this.file = file;
    this.path = path;
    this.node = node;
  }

  /** The document's root mapping, which may hold only {@code known} keys. */
  private static final YAMLMapper YAML = YAMLMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  /** Reads a YAML file into its root section, as {@link #parseYaml} parses text. */
  public static ConfigSection readYaml(Path file, List<String> known) {
    return readYaml(file, known, Overrides.NONE);
  }

  /** Reads a YAML file into its root section with command-line {@code overrides} applied to it. */
  public static ConfigSection readYaml(Path file, List<String> known, Overrides overrides) {
    try {
      return parseYaml(Files.readString(file, StandardCharsets.UTF_8), file, known, overrides);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Parses YAML text (duplicate keys are errors) into the root section; {@code file} names it in errors. */
  public static ConfigSection parseYaml(String yaml, Path file, List<String> known) {
    return parseYaml(yaml, file, known, Overrides.NONE);
  }

  /**
   * Parses YAML text as {@link #parseYaml(String, Path, List)} and applies {@code overrides} to the tree before its
   * keys are checked, so an overridden key is held to the same rules as one in the file.
   */
  public static ConfigSection parseYaml(String yaml, Path file, List<String> known, Overrides overrides) {
    JsonNode tree;
    try {
      tree = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      throw new DataFormatException(file, where == null ? 0 : Math.max(0, where.getLineNr()),
          "malformed YAML: " + e.getOriginalMessage(), e);
    }
    if (!overrides.isEmpty() && tree instanceof ObjectNode object) {
      try {
        overrides.applyTo(object, file);
      } catch (IllegalArgumentException e) {
        throw new DataFormatException(file, 0, e.getMessage(), e);
      }
    }
    return root(file, tree, known);
  }

  public static ConfigSection root(Path file, JsonNode node, List<String> known) {
    String expected = "expected a mapping of sections (known: " + String.join(", ", known) + ")";
    if (node == null || node.isMissingNode()) {
      throw new DataFormatException(file, 0, "empty config; " + expected, null);
    }
    if (!node.isObject()) {
      throw new DataFormatException(file, 0, expected + ", found " + describe(node), null);
    }
    return new ConfigSection(file, "", node).checkKeys(known);
  }

  /** A required nested mapping that may hold only {@code known} keys. */
  public ConfigSection section(String key, List<String> known) {
    JsonNode value = node.get(key);
    if (value == null) {
      throw error("missing section " + qualified(key));
    }
    return nested(key, value, known);
  }

  /** An optional nested mapping; null when absent. */
  public ConfigSection optionalSection(String key, List<String> known) {
    JsonNode value = node.get(key);
    return value == null ? null : nested(key, value, known);
  }

  private ConfigSection nested(String key, JsonNode value, List<String> known) {
    if (!value.isObject()) {
      throw error(qualified(key) + " must be a mapping, found " + describe(value));
    }
    return new ConfigSection(file, qualified(key), value).checkKeys(known);
  }

  private ConfigSection checkKeys(List<String> known) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        throw error("unknown key " + qualified(key) + " (known: " + String.join(", ", known) + ")");
      }
    }
    return this;
  }

  /** The mapping itself, for a caller that validates it with its own loader. */
  public JsonNode node() {
    return node;
  }

  public boolean has(String key) {
    return node.has(key);
  }

  public String requiredString(String key) {
    JsonNode value = required(key);
    if (!value.isTextual()) {
      throw wrongType(key, "a string", value);
    }
    return value.asText();
  }

  /** A non-empty list of strings. */
  public List<String> requiredStringList(String key) {
    JsonNode value = required(key);
    if (!value.isArray() || value.isEmpty()) {
      throw wrongType(key, "a non-empty list of strings", value);
    }
    List<String> out = new java.util.ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isTextual() || item.asText().isBlank()) {
        throw wrongType(key, "a non-empty list of strings", value);
      }
      out.add(item.asText());
    }
    return List.copyOf(out);
  }

  public int requiredInt(String key) {
    return toInt(key, required(key));
  }

  public int optionalInt(String key, int fallback) {
    return has(key) ? toInt(key, node.get(key)) : fallback;
  }

  public OptionalInt optionalInt(String key) {
    return has(key) ? OptionalInt.of(toInt(key, node.get(key))) : OptionalInt.empty();
  }

  public long requiredLong(String key) {
    return toLong(key, required(key));
  }

  public long optionalLong(String key, long fallback) {
    return has(key) ? toLong(key, node.get(key)) : fallback;
  }

  public double requiredDouble(String key) {
    return toDouble(key, required(key));
  }

  public double optionalDouble(String key, double fallback) {
    return has(key) ? toDouble(key, node.get(key)) : fallback;
  }

  public boolean requiredBoolean(String key) {
    return toBoolean(key, required(key));
  }

  public boolean optionalBoolean(String key, boolean fallback) {
    return has(key) ? toBoolean(key, node.get(key)) : fallback;
  }

  /**
   * An enum constant named by a lower-case string ({@code every_epoch} for {@code EVERY_EPOCH}); a wrong name is an
   * error that lists the allowed ones.
   */
  public <E extends Enum<E>> E optionalEnum(String key, Class<E> type, E fallback) {
    if (!has(key)) {
      return fallback;
    }
    String name = requiredString(key);
    for (E constant : type.getEnumConstants()) {
      if (constant.name().toLowerCase(java.util.Locale.ROOT).equals(name)) {
        return constant;
      }
    }
    throw error(qualified(key) + " must be one of " + java.util.Arrays.stream(type.getEnumConstants())
        .map(c -> c.name().toLowerCase(java.util.Locale.ROOT)).toList() + "; " + qualified(key) + "=" + name);
  }

  /** A problem in this file, not tied to a key's type (for example a failed validation). */
  public DataFormatException error(String problem) {
    return new DataFormatException(file, 0, problem, null);
  }

  private JsonNode required(String key) {
    JsonNode value = node.get(key);
    if (value == null) {
      throw error("missing key " + qualified(key));
    }
    return value;
  }

  private int toInt(String key, JsonNode value) {
    if (!value.isIntegralNumber()) {
      throw wrongType(key, "an integer", value);
    }
    if (!value.canConvertToInt()) {
      throw wrongType(key, "an integer between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE, value);
    }
    return value.intValue();
  }

  private long toLong(String key, JsonNode value) {
    if (!value.isIntegralNumber()) {
      throw wrongType(key, "an integer", value);
    }
    if (!value.canConvertToLong()) {
      throw wrongType(key, "a 64-bit integer", value);
    }
    return value.longValue();
  }

  private double toDouble(String key, JsonNode value) {
    if (!value.isNumber()) {
      throw wrongType(key, "a number", value);
    }
    return value.doubleValue();
  }

  private boolean toBoolean(String key, JsonNode value) {
    if (!value.isBoolean()) {
      throw wrongType(key, "true or false", value);
    }
    return value.booleanValue();
  }

  private DataFormatException wrongType(String key, String expected, JsonNode value) {
    return error(qualified(key) + " must be " + expected + ", found " + describe(value));
  }

  private String qualified(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static String describe(JsonNode value) {
    JsonNodeType type = value.getNodeType();
    return switch (type) {
      case STRING -> "string \"" + value.asText() + "\"";
      case NUMBER -> "number " + value.asText();
      case BOOLEAN -> "boolean " + value.asText();
      case NULL -> "nothing (null)";
      case OBJECT -> "a mapping";
      case ARRAY -> "a list";
      default -> type.name().toLowerCase(Locale.ROOT);
    };
  }
}
