package dev.quarry.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line overrides of config keys ({@code --set training.epochs=3}): each names a key by its dotted path and
 * gives a YAML value ({@code 3}, {@code 2.0e-5}, {@code true}, {@code every_epoch}, {@code [a, b]},
 * {@code {queries: 50}}). They are applied to the file's tree before it is read, in order, so an override is checked
 * exactly like the key written in the file: an unknown key or a value of the wrong type is the same error, and the
 * config's sha256 covers it. A path through a missing section creates it.
 *
 * @param entries the overrides in the order given
 */
public record Overrides(List<Entry> entries) {
  /** No overrides. */
  public static final Overrides NONE = new Overrides(List.of());

  private static final YAMLMapper YAML = new YAMLMapper();

  /** One override: the key's path (at least one segment) and its value. */
  public record Entry(List<String> path, JsonNode value, String text) {
    public Entry {
      path = List.copyOf(path);
    }

    /** The dotted key, as written. */
    public String key() {
      return String.join(".", path);
    }
  }

  public Overrides {
    entries = List.copyOf(entries);
  }

  /** Parses {@code key.path=value} strings; a malformed one is an error that quotes it. */
  public static Overrides parse(List<String> specs) {
    List<Entry> out = new ArrayList<>();
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--set expects KEY=VALUE with a dotted key (training.epochs=3), found \""
            + spec + "\"");
      }
      String key = spec.substring(0, eq).strip();
      List<String> path = List.of(key.split("\\.", -1));
      if (path.stream().anyMatch(String::isEmpty)) {
        throw new IllegalArgumentException("--set " + spec + ": the key \"" + key + "\" has an empty segment");
      }
      String text = spec.substring(eq + 1);
      JsonNode value;
      try {
        value = text.isBlank() ? null : YAML.readTree(text);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("--set " + spec + ": the value is not YAML: " + e.getOriginalMessage(), e);
      }
      if (value == null || value.isMissingNode()) {
        throw new IllegalArgumentException("--set " + spec + ": no value after '='");
      }
      out.add(new Entry(path, value, spec));
    }
    return new Overrides(out);
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** Sets every override in {@code root} (a config file's tree), in order; {@code file} names it in errors. */
  public void applyTo(ObjectNode root, Path file) {
    for (Entry e : entries) {
      ObjectNode at = root;
      List<String> path = e.path();
      for (int i = 0; i < path.size() - 1; i++) {
        JsonNode next = at.get(path.get(i));
        if (next == null) {
          next = at.putObject(path.get(i));
        } else if (!next.isObject()) {
          throw new IllegalArgumentException("--set " + e.text() + ": " + String.join(".", path.subList(0, i + 1))
              + " in " + file + " is not a mapping");
        }
        at = (ObjectNode) next;
      }
      at.set(path.get(path.size() - 1), e.value().deepCopy());
    }
  }

  /** The overrides as given, for the record a run writes. */
  public List<String> texts() {
    return entries.stream().map(Entry::text).toList();
  }
}
