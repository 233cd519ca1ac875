package dev.quarry.rocketqa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.DataFormatException;
import dev.quarry.io.JsonLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What a finished pipeline stage reports, as its {@code manifest.json} holds it: the config hash it was made under,
 * its inputs (files and counts, for the record), its test metrics, its dev metrics (the dual encoders'), its minutes
 * and short notes (MC: what it reranks and which judge it is).
 *
 * <pre>
 * {"stage": "md1", "config_sha256": "...", "inputs": {...},
 *  "metrics": {"ndcg@10": 0.70, "recall@100": 0.94, ..., "dev": {"ndcg@10": 0.70, ...}, "minutes": 11.2,
 *              "reranks": "md0 top 20", "judge": "cross-encoder"}}
 * </pre>
 *
 * @param configSha256 {@link RocketQaConfig#stageSha256}, or empty for a manifest written before it was recorded
 */
public record StageResult(Stage stage, String configSha256, ObjectNode inputs, Map<String, Double> test,
    Map<String, Double> dev, double minutes, Map<String, String> notes) {
  /** The file in a stage's folder. */
  public static final String FILE = "manifest.json";

  public StageResult {
    test = Map.copyOf(test);
    dev = Map.copyOf(dev);
    notes = Map.copyOf(notes);
  }

  /**
   * A result from a stage's metrics object as the stage builds it: numbers are test metrics, {@code dev} holds the
   * dev metrics, text values are notes.
   */
  static StageResult of(Stage stage, String configSha256, ObjectNode inputs, ObjectNode metrics, double minutes) {
    Map<String, Double> test = new LinkedHashMap<>();
    Map<String, Double> dev = new LinkedHashMap<>();
    Map<String, String> notes = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = metrics.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (e.getKey().equals("dev") && v.isObject()) {
        v.fields().forEachRemaining(d -> dev.put(d.getKey(), d.getValue().asDouble()));
      } else if (e.getKey().equals("minutes")) {
        continue;
      } else if (v.isNumber()) {
        test.put(e.getKey(), v.asDouble());
      } else {
        notes.put(e.getKey(), v.asText());
      }
    }
    return new StageResult(stage, configSha256, inputs, test, dev, minutes, notes);
  }

  /** Reads a stage's manifest; a file that is not one is an error naming it. */
  static StageResult read(Path file) {
    JsonNode root;
    try {
      root = JsonLines.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    Stage stage = null;
    for (Stage s : Stage.values()) {
      if (s.dirName().equals(root.path("stage").asText())) {
        stage = s;
      }
    }
    if (stage == null || !root.path("metrics").isObject() || !root.path("inputs").isObject()) {
      throw new DataFormatException(file, 0, "not a pipeline stage manifest (stage, inputs and metrics expected)",
          null);
    }
    ObjectNode metrics = (ObjectNode) root.path("metrics");
    return of(stage, root.path("config_sha256").asText(""), (ObjectNode) root.path("inputs"), metrics,
        metrics.path("minutes").asDouble());
  }

  /** The test metric {@code name} (such as {@code ndcg@10}), if the stage reported it. */
  public OptionalDouble test(String name) {
    Double v = test.get(name);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /** The dev metric {@code name}, if the stage reported it (the dual encoders do). */
  public OptionalDouble dev(String name) {
    Double v = dev.get(name);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /** The {@code metrics} object as the manifest and {@code report.json} hold it. */
  ObjectNode metricsJson() {
    ObjectNode m = JsonLines.MAPPER.createObjectNode();
    test.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> m.put(e.getKey(), e.getValue()));
    if (!dev.isEmpty()) {
      ObjectNode d = m.putObject("dev");
      dev.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> d.put(e.getKey(), e.getValue()));
    }
    notes.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> m.put(e.getKey(), e.getValue()));
    m.put("minutes", minutes);
    return m;
  }

  /** Writes the manifest (last, atomically: a stage with a manifest is finished). */
  void write(Path file) {
    ObjectNode m = JsonLines.MAPPER.createObjectNode();
    m.put("stage", stage.dirName());
    m.put("config_sha256", configSha256);
    m.set("inputs", inputs);
    m.set("metrics", metricsJson());
    AtomicOutput.writeString(file, m.toPrettyString() + "\n");
  }
}
