package dev.quarry.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.JsonLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dev metric after each epoch of a run, kept in {@code OUT/dev.json} ({@code {"epoch 1": 0.68, ...}}) so a
 * resumed run knows which epoch is best so far.
 */
public final class DevHistory {
  private final Path file;
  private final Map<Integer, Double> byEpoch = new LinkedHashMap<>();

  private DevHistory(Path file) {
    this.file = file;
  }

  /** The history in {@code out/dev.json}, empty when there is none yet. */
  public static DevHistory open(Path out) {
    DevHistory h = new DevHistory(out.resolve("dev.json"));
    if (Files.exists(h.file)) {
      try {
        JsonLines.MAPPER.readTree(h.file.toFile()).properties().forEach(e ->
            h.byEpoch.put(Integer.parseInt(e.getKey().substring("epoch ".length())), e.getValue().asDouble()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + h.file, e);
      }
    }
    return h;
  }

  /** Records an epoch's value and writes the file; returns whether it beats every earlier epoch. */
  public boolean record(int epoch, double value) {
    boolean best = byEpoch.values().stream().allMatch(v -> value > v);
    byEpoch.put(epoch, value);
    ObjectNode o = JsonLines.MAPPER.createObjectNode();
    byEpoch.forEach((e, v) -> o.put("epoch " + e, v));
    AtomicOutput.writeString(file, o.toPrettyString() + "\n");
    return best;
  }

  public Map<Integer, Double> values() {
    return Collections.unmodifiableMap(byEpoch);
  }

  /** The best epoch (1-based), or 0 when none was evaluated. */
  public int bestEpoch() {
    return byEpoch.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(0);
  }
}
