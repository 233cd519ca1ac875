package dev.quarry.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.EnumFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.quarry.io.DataFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Binds a YAML config to its records with Jackson, strictly. A record component is a key: its name in snake_case
 * ({@code batchSize} is {@code batch_size}), its Java type the key's type, {@link ConfigDefault} its default, and the
 * record's constructor its validation. So each key is spelled once, in the record that holds it.
 *
 * <p>Before Jackson builds the records, the tree is checked against them, so that every problem is a
 * {@link DataFormatException} naming the file and the full key path, never a lenient coercion: an unknown key (with
 * the known ones), a missing required key or section, a value of the wrong type (a string for a number, {@code 1.5}
 * or {@code 3000000000} for an {@code int}, {@code 1} for a boolean, {@code null} for anything), an enum constant that
 * does not exist (the allowed ones listed, matched case-insensitively), a duplicate key (at its line), and then a
 * value the record's constructor rejects (its message). {@link #toJson} writes a config back under the same keys,
 * defaults included and absent {@code Optional}s left out, and reads back to an equal config.
 */
public final class ConfigBinder {
  private static final YAMLMapper YAML = YAMLMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new Jdk8Module())
      .addModule(new SimpleModule("quarry-paths")
          .addSerializer(Path.class, new ToStringSerializer())
          .addDeserializer(Path.class, new JsonDeserializer<>() {
            @Override
            public Path deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
              return Path.of(p.getValueAsString());
            }
          }))
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .serializationInclusion(JsonInclude.Include.NON_ABSENT)
      .enable(EnumFeature.WRITE_ENUMS_TO_LOWERCASE)
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
      .build();

  private ConfigBinder() {
  }

  /** Reads a YAML file, applies command-line {@code overrides}, and binds it to {@code type}. */
  public static <T extends Record> T read(Path file, Class<T> type, Overrides overrides) {
    return bind(applied(readYaml(file), overrides, file), file, type);
  }

  /** Parses YAML text with {@code overrides} applied and binds it; {@code file} names the source in errors. */
  public static <T extends Record> T parse(String yaml, Path file, Class<T> type, Overrides overrides) {
    return bind(applied(parseYaml(yaml, file), overrides, file), file, type);
  }

  /** Reads a YAML file into a tree (duplicate keys are errors); an unreadable file is an {@link UncheckedIOException}. */
  public static JsonNode readYaml(Path file) {
    try {
      return parseYaml(Files.readString(file, StandardCharsets.UTF_8), file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Parses YAML text into a tree; malformed YAML and duplicate keys are errors naming {@code file} and the line. */
  public static JsonNode parseYaml(String yaml, Path file) {
    try {
      return YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      throw new DataFormatException(file, where == null ? 0 : Math.max(0, where.getLineNr()),
          "malformed YAML: " + e.getOriginalMessage(), e);
    }
  }

  /** A config tree as YAML text, for the config files a pipeline writes for its stages. */
  public static String toYaml(JsonNode tree) {
    try {
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a config tree as YAML", e);
    }
  }

  private static JsonNode applied(JsonNode tree, Overrides overrides, Path file) {
    if (tree instanceof ObjectNode object) {
      apply(overrides, object, file);
    }
    return tree;
  }

  /** Applies command-line overrides to a config tree; a bad one is an error naming {@code file}. */
  public static void apply(Overrides overrides, ObjectNode tree, Path file) {
    try {
      overrides.applyTo(tree, file);
    } catch (IllegalArgumentException e) {
      throw new DataFormatException(file, 0, e.getMessage(), e);
    }
  }

  /**
   * Binds a config tree (left unchanged) to {@code type}: defaults filled in, every key checked, then the records
   * built; {@code file} names the source in errors.
   */
  public static <T extends Record> T bind(JsonNode tree, Path file, Class<T> type) {
    String expected = "expected a mapping of sections (known: " + String.join(", ", keys(type)) + ")";
    if (tree == null || tree.isMissingNode()) {
      throw new DataFormatException(file, 0, "empty config; " + expected, null);
    }
    if (!tree.isObject()) {
      throw new DataFormatException(file, 0, expected + ", found " + describe(tree), null);
    }
    ObjectNode filled = tree.deepCopy();
    new Checker(file).record(filled, type, "");
    try {
      return MAPPER.treeToValue(filled, type);
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IllegalArgumentException invalid) {
        throw new DataFormatException(file, 0, invalid.getMessage(), invalid);
      }
      throw new DataFormatException(file, 0, e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {   // a type the checker lets through but Jackson does not bind
      throw new IllegalStateException("config binding of " + type.getSimpleName() + " failed after its checks: "
          + e.getOriginalMessage(), e);
    }
  }

  /** Every value of a bound config under its keys, defaults included, absent {@code Optional}s left out. */
  public static ObjectNode toJson(Record config) {
    return MAPPER.valueToTree(config);
  }

  /** The keys of a config record, in its components' order. */
  public static List<String> keys(Class<? extends Record> type) {
    return Arrays.stream(type.getRecordComponents()).map(c -> key(c.getName())).toList();
  }

  private static String key(String component) {
    return PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(component);
  }

  /** Checks a tree against record types, filling in defaults, with the file and key path in every error. */
  private record Checker(Path file) {
    void record(ObjectNode node, Class<?> type, String path) {
      RecordComponent[] components = type.getRecordComponents();
      List<String> known = Arrays.stream(components).map(c -> key(c.getName())).toList();
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!known.contains(key)) {
          throw error("unknown key " + qualified(path, key) + " (known: " + String.join(", ", known) + ")");
        }
      }
      for (RecordComponent c : components) {
        String key = key(c.getName());
        String qualified = qualified(path, key);
        JsonNode value = node.get(key);
        if (value == null) {
          ConfigDefault fallback = c.getAnnotation(ConfigDefault.class);
          Class<?> raw = raw(c.getGenericType());
          if (fallback != null) {
            value = parseDefault(fallback.value(), qualified);
          } else if (isOptional(raw)) {
            continue;
          } else if (raw.isRecord() && allDefaulted(raw)) {
            value = MAPPER.createObjectNode();
          } else {
            throw error("missing " + (raw.isRecord() ? "section " : "key ") + qualified);
          }
          node.set(key, value);
        }
        value(value, c.getGenericType(), qualified);
      }
    }

    private void value(JsonNode value, Type type, String key) {
      Class<?> raw = raw(type);
      if (raw == Optional.class || raw == List.class) {
        Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
        if (raw == Optional.class) {
          value(value, element, key);
          return;
        }
        if (!value.isArray()) {
          throw wrongType(key, "a list", value);
        }
        for (int i = 0; i < value.size(); i++) {
          value(value.get(i), element, key + "[" + i + "]");
        }
      } else if (raw == int.class || raw == Integer.class || raw == OptionalInt.class) {
        integral(value, key, Integer.MIN_VALUE, Integer.MAX_VALUE, "an integer between " + Integer.MIN_VALUE
            + " and " + Integer.MAX_VALUE);
      } else if (raw == long.class || raw == Long.class || raw == OptionalLong.class) {
        integral(value, key, Long.MIN_VALUE, Long.MAX_VALUE, "a 64-bit integer");
      } else if (raw == double.class || raw == Double.class || raw == OptionalDouble.class) {
        if (!value.isNumber()) {
          throw wrongType(key, "a number", value);
        }
      } else if (raw == boolean.class || raw == Boolean.class) {
        if (!value.isBoolean()) {
          throw wrongType(key, "true or false", value);
        }
      } else if (raw == String.class || raw == Path.class) {
        if (!value.isTextual()) {
          throw wrongType(key, "a string", value);
        }
      } else if (raw.isEnum()) {
        enumConstant(value, raw, key);
      } else if (raw == ObjectNode.class) {   // a section bound later by its own config (a pipeline stage's)
        if (!value.isObject()) {
          throw error(key + " must be a mapping, found " + describe(value));
        }
      } else if (raw.isRecord()) {
        if (!(value instanceof ObjectNode object)) {
          throw error(key + " must be a mapping, found " + describe(value));
        }
        record(object, raw, key);
      } else {
        throw new IllegalStateException("config key " + key + " has a type the binder does not know: " + type);
      }
    }

    private void integral(JsonNode value, String key, long min, long max, String range) {
      if (!value.isIntegralNumber()) {
        throw wrongType(key, "an integer", value);
      }
      boolean fits = max == Long.MAX_VALUE ? value.canConvertToLong()
          : value.canConvertToInt() && value.intValue() >= min && value.intValue() <= max;
      if (!fits) {
        throw wrongType(key, range, value);
      }
    }

    private void enumConstant(JsonNode value, Class<?> type, String key) {
      List<String> names = Arrays.stream(type.getEnumConstants())
          .map(e -> ((Enum<?>) e).name().toLowerCase(Locale.ROOT)).toList();
      if (!value.isTextual()) {
        throw wrongType(key, "one of " + names, value);
      }
      if (!names.contains(value.asText().toLowerCase(Locale.ROOT))) {
        throw error(key + " must be one of " + names + "; " + key + "=" + value.asText());
      }
    }

    private JsonNode parseDefault(String yaml, String key) {
      try {
        return YAML.readTree(yaml);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("the default of " + key + " is not YAML: " + yaml, e);
      }
    }

    private DataFormatException wrongType(String key, String expected, JsonNode value) {
      return error(key + " must be " + expected + ", found " + describe(value));
    }

    private DataFormatException error(String problem) {
      return new DataFormatException(file, 0, problem, null);
    }
  }

  /** Whether every key of a record type may be left out, so the whole section may be. */
  private static boolean allDefaulted(Class<?> type) {
    for (RecordComponent c : type.getRecordComponents()) {
      Class<?> raw = raw(c.getGenericType());
      if (c.getAnnotation(ConfigDefault.class) == null && !isOptional(raw)
          && !(raw.isRecord() && allDefaulted(raw))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isOptional(Class<?> raw) {
    return raw == Optional.class || raw == OptionalInt.class || raw == OptionalLong.class
        || raw == OptionalDouble.class;
  }

  private static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    throw new IllegalStateException("config keys must have plain or parameterized types, not " + type);
  }

  private static String qualified(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** A value as an error message shows it: its YAML type and, for scalars, its text. */
  public static String describe(JsonNode value) {
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
