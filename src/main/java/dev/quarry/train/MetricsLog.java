package dev.quarry.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.DataFormatException;
import dev.quarry.io.JsonLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * The training log {@code OUT/metrics.jsonl}: one JSON object per line, flushed as it is written, so a killed run
 * leaves every line it completed. A step line holds the {@link StepMetrics} fields in order, for example
 * {@code {"step":12,"epoch":0,"loss":2.31,"learning_rate":1.2e-5,"grad_norm":3.4,"examples_per_second":2.4}}; an
 * evaluation line holds {@code step}, {@code epoch} and metrics such as {@code "dev_ndcg@10"}. A number that is not
 * finite (a diverged loss) is written as {@code null}.
 *
 * <p>{@link #resume} reopens the log of an interrupted run for a restart from the checkpoint at step N: it keeps the
 * lines of steps up to N and drops later ones (and a torn last line), so no step appears twice. A trainer should
 * therefore log a step's evaluation before saving that step's checkpoint.
 */
public final class MetricsLog implements AutoCloseable {
  /** The log's file name in the output folder. */
  public static final String FILE = "metrics.jsonl";

  private final Path file;
  private final Writer writer;

  private MetricsLog(Path file, Writer writer) {
    this.file = file;
    this.writer = writer;
  }

  /** Starts a new log in {@code outDir}, replacing any earlier one. */
  public static MetricsLog create(Path outDir) {
    Path file = outDir.resolve(FILE);
    try {
      Files.createDirectories(outDir);
      return new MetricsLog(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * Reopens the log in {@code outDir} for appending after step {@code lastStep}: lines with a larger step are
   * dropped, as is an unreadable last line (a write cut short by a crash). A missing log starts empty.
   */
  public static MetricsLog resume(Path outDir, long lastStep) {
    Path file = outDir.resolve(FILE);
    try {
      if (Files.exists(file)) {
        keepUpTo(file, lastStep);
      } else {
        Files.createDirectories(outDir);
      }
      return new MetricsLog(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void keepUpTo(Path file, long lastStep) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    StringBuilder kept = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = JsonLines.MAPPER.readTree(line);
      } catch (JsonProcessingException e) {
        if (i == lines.size() - 1) {
          break;   // the last line was cut short by a crash
        }
        throw new DataFormatException(file, i + 1, "malformed JSON: " + e.getOriginalMessage(), e);
      }
      JsonNode step = node == null ? null : node.get("step");
      if (step == null || !step.isIntegralNumber()) {
        throw new DataFormatException(file, i + 1, "a metrics line needs an integer \"step\"");
      }
      if (step.longValue() <= lastStep) {
        kept.append(line).append('\n');
      }
    }
    AtomicOutput.writeString(file, kept.toString());
  }

  /** Appends one step's line and flushes it. */
  public void append(StepMetrics metrics) {
    ObjectNode line = JsonLines.MAPPER.createObjectNode();
    line.put("step", metrics.step());
    line.put("epoch", metrics.epoch());
    putNumber(line, "loss", metrics.loss());
    putNumber(line, "learning_rate", metrics.learningRate());
    putNumber(line, "grad_norm", metrics.gradNorm());
    putNumber(line, "examples_per_second", metrics.examplesPerSecond());
    metrics.extra().forEach((name, value) -> putNumber(line, name, value));
    write(line);
  }

  /**
   * Appends an evaluation's line (for example {@code {"step":40,"epoch":0,"dev_ndcg@10":0.688}}) and flushes it.
   *
   * @param metrics by name, written in this order; not {@code step} or {@code epoch}
   */
  public void appendEvaluation(long step, int epoch, Map<String, Double> metrics) {
    ObjectNode line = JsonLines.MAPPER.createObjectNode();
    line.put("step", step);
    line.put("epoch", epoch);
    metrics.forEach((name, value) -> {
      if (name.equals("step") || name.equals("epoch")) {
        throw new IllegalArgumentException("metric " + name + " clashes with a standard field");
      }
      putNumber(line, name, value);
    });
    write(line);
  }

  private static void putNumber(ObjectNode line, String name, double value) {
    if (Double.isFinite(value)) {
      line.put(name, value);
    } else {
      line.putNull(name);
    }
  }

  private void write(ObjectNode line) {
    try {
      writer.write(JsonLines.MAPPER.writeValueAsString(line));
      writer.write('\n');
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The log file. */
  public Path file() {
    return file;
  }

  @Override
  public void close() {
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
