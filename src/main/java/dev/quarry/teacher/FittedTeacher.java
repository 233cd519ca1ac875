package dev.quarry.teacher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.DataFormatException;
import dev.quarry.io.JsonLines;
import dev.quarry.rerank.Calibration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What fitting a teacher chose, stored as {@code teacher.json} in the teacher's folder: its members (bundled model
 * names and absolute model directories), their fusion weights, the normalization depth, the calibration of the fused
 * score, and the dev numbers behind the choice.
 *
 * <pre>
 * {"format": "quarry-teacher/1", "members": ["bm25", "all-minilm-l6-v2"], "weights": [0.6, 0.4],
 *  "normalization_depth": 100, "calibration": {"scale": .., "bias": .., "pairs": .., "positives": ..},
 *  "dev": {"queries": 100, "seed": 13, "pool_depth": 100, "pairs": .., "ndcg@10": {"bm25": .., "equal": .., "chosen": ..}}}
 * </pre>
 */
public record FittedTeacher(List<String> members, double[] weights, int normalizationDepth, Calibration calibration,
    ObjectNode dev) {
  public static final String FILE = "teacher.json";
  public static final String FORMAT = "quarry-teacher/1";

  public FittedTeacher {
    members = List.copyOf(members);
    if (members.size() != weights.length) {
      throw new IllegalArgumentException(members.size() + " members but " + weights.length + " weights");
    }
    weights = weights.clone();
  }

  /** Whether {@code dir} holds a fitted teacher. */
  public static boolean isTeacher(Path dir) {
    return Files.isRegularFile(dir.resolve(FILE));
  }

  public ObjectNode toJson() {
    ObjectNode o = JsonLines.MAPPER.createObjectNode();
    o.put("format", FORMAT);
    ArrayNode m = o.putArray("members");
    members.forEach(m::add);
    ArrayNode w = o.putArray("weights");
    for (double x : weights) {
      w.add(x);
    }
    o.put("normalization_depth", normalizationDepth);
    o.set("calibration", calibration.toJson());
    o.set("dev", dev);
    return o;
  }

  public void save(Path dir) {
    AtomicOutput.writeString(dir.resolve(FILE), toJson().toPrettyString() + "\n");
  }

  /** Reads {@code dir/teacher.json}; a missing or malformed field is an error naming the file and the field. */
  public static FittedTeacher load(Path dir) {
    Path file = dir.resolve(FILE);
    JsonNode o;
    try {
      o = JsonLines.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new DataFormatException(file, 0, "cannot read a teacher: " + e.getMessage(), e);
    }
    if (o == null || !FORMAT.equals(o.path("format").asText())) {
      throw new DataFormatException(file, 0, "format must be " + FORMAT, null);
    }
    JsonNode m = o.path("members");
    JsonNode w = o.path("weights");
    if (!m.isArray() || !w.isArray() || m.size() != w.size() || m.isEmpty()) {
      throw new DataFormatException(file, 0, "members and weights must be arrays of one length", null);
    }
    List<String> members = new ArrayList<>();
    double[] weights = new double[w.size()];
    for (int i = 0; i < weights.length; i++) {
      if (!m.get(i).isTextual() || !w.get(i).isNumber()) {
        throw new DataFormatException(file, 0, "members[" + i + "] must be a string and weights[" + i
            + "] a number", null);
      }
      members.add(m.get(i).asText());
      weights[i] = w.get(i).asDouble();
    }
    if (!o.path("normalization_depth").canConvertToInt() || o.path("normalization_depth").asInt() < 2) {
      throw new DataFormatException(file, 0, "normalization_depth must be an integer of at least 2", null);
    }
    if (!o.path("calibration").isObject()) {
      throw new DataFormatException(file, 0, "calibration must be an object", null);
    }
    return new FittedTeacher(members, weights, o.path("normalization_depth").asInt(),
        Calibration.fromJson(o.path("calibration")),
        o.path("dev").isObject() ? (ObjectNode) o.path("dev") : JsonLines.MAPPER.createObjectNode());
  }
}
