package dev.quarry.ance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.JsonLines;
import dev.quarry.io.TextLines;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The record of an ANCE run, from its step log and refresh log (so a resumed run reports all of itself):
 * {@code OUT/ance/summary.json} and {@code OUT/ance/report.md} with the refreshes, how long the trainer waited for
 * the index, the index's lag, and the mean gradient norm of each kind of negative ({@link NegativeGradients}), overall
 * and per epoch.
 */
public final class AnceReport {
  private AnceReport() {
  }

  /** Sums and means over the step lines of one epoch (or of the run). */
  private static final class Tally {
    long steps;
    double stepSeconds;
    double waitSeconds;
    double gapSum;
    double gapMax;
    final double[] normSum = new double[NegativeGradients.Kind.values().length];
    final long[] normCount = new long[NegativeGradients.Kind.values().length];

    void add(JsonNode line, int batchSize) {
      steps++;
      double eps = line.path("examples_per_second").asDouble(Double.NaN);
      if (eps > 0) {
        stepSeconds += batchSize / eps;
      }
      waitSeconds += line.path("ance_wait_seconds").asDouble(0);
      double gap = line.path("ance_gap").asDouble(0);
      gapSum += gap;
      gapMax = Math.max(gapMax, gap);
      for (NegativeGradients.Kind k : NegativeGradients.Kind.values()) {
        JsonNode v = line.get(k.metric());
        if (v != null && v.isNumber()) {
          normSum[k.ordinal()] += v.asDouble();
          normCount[k.ordinal()]++;
        }
      }
    }

    double meanNorm(NegativeGradients.Kind k) {
      return normCount[k.ordinal()] == 0 ? Double.NaN : normSum[k.ordinal()] / normCount[k.ordinal()];
    }
  }

  /** Writes the summary and the report into {@code OUT/ance}; returns the summary. */
  public static ObjectNode write(Path out, int batchSize) {
    Path folder = out.resolve(AnceNegatives.FOLDER);
    Tally all = new Tally();
    Map<Integer, Tally> byEpoch = new TreeMap<>();
    try (TextLines lines = TextLines.open(out.resolve("metrics.jsonl"))) {
      for (String line = lines.next(); line != null; line = lines.next()) {
        JsonNode o = JsonLines.parseObject(lines, line);
        if (o.has("loss")) {
          all.add(o, batchSize);
          byEpoch.computeIfAbsent(o.path("epoch").asInt(), e -> new Tally()).add(o, batchSize);
        }
      }
    }
    List<RefreshLog.Entry> refreshes = RefreshLog.read(folder.resolve(RefreshLog.FILE));
    double initialBuild = refreshes.stream().filter(e -> e.mode() == RefreshLog.Mode.SYNCHRONOUS)
        .mapToDouble(RefreshLog.Entry::totalSeconds).sum();

    ObjectNode s = JsonLines.MAPPER.createObjectNode();
    s.put("steps", all.steps);
    s.put("refreshes", refreshes.size());
    s.put("background_refreshes", refreshes.stream().filter(e -> e.mode() == RefreshLog.Mode.BACKGROUND).count());
    ObjectNode cost = s.putObject("mean_refresh_seconds");
    cost.put("encode", refreshes.stream().mapToDouble(RefreshLog.Entry::encodeSeconds).average().orElse(0));
    cost.put("index", refreshes.stream().mapToDouble(RefreshLog.Entry::indexSeconds).average().orElse(0));
    cost.put("search", refreshes.stream().mapToDouble(RefreshLog.Entry::searchSeconds).average().orElse(0));
    cost.put("total", refreshes.stream().mapToDouble(RefreshLog.Entry::totalSeconds).average().orElse(0));
    s.put("trainer_seconds", all.stepSeconds);
    s.put("trainer_wait_seconds", all.waitSeconds);
    s.put("initial_build_seconds", initialBuild);
    s.put("wait_fraction", all.stepSeconds > 0 ? all.waitSeconds / all.stepSeconds : 0);
    double afterStart = all.stepSeconds - initialBuild;
    s.put("wait_fraction_after_initial_build", afterStart > 0 ? (all.waitSeconds - initialBuild) / afterStart : 0);
    s.put("mean_gap_steps", all.steps == 0 ? 0 : all.gapSum / all.steps);
    s.put("max_gap_steps", all.gapMax);
    ObjectNode norms = s.putObject("mean_gradient_norm");
    for (NegativeGradients.Kind k : NegativeGradients.Kind.values()) {
      putNumber(norms, k.name().toLowerCase(Locale.ROOT), all.meanNorm(k));
    }
    ObjectNode perEpoch = s.putObject("mean_gradient_norm_by_epoch");
    byEpoch.forEach((epoch, t) -> {
      ObjectNode e = perEpoch.putObject(String.valueOf(epoch + 1));
      for (NegativeGradients.Kind k : NegativeGradients.Kind.values()) {
        putNumber(e, k.name().toLowerCase(Locale.ROOT), t.meanNorm(k));
      }
    });
    AtomicOutput.writeString(folder.resolve("summary.json"), s.toPrettyString() + "\n");
    AtomicOutput.writeString(folder.resolve("report.md"), markdown(s, all, byEpoch, refreshes));
    return s;
  }

  private static void putNumber(ObjectNode o, String name, double v) {
    if (Double.isFinite(v)) {
      o.put(name, v);
    } else {
      o.putNull(name);
    }
  }

  private static String markdown(ObjectNode s, Tally all, Map<Integer, Tally> byEpoch,
      List<RefreshLog.Entry> refreshes) {
    StringBuilder md = new StringBuilder("# ANCE run\n\n");
    md.append(String.format(Locale.ROOT, "%d steps, %d index refreshes (%d in the background). The trainer spent "
        + "%.1f s of %.1f s waiting for the index (%.1f%%; %.1f%% after the initial build of %.1f s). The index lagged "
        + "the trainer by %.1f steps on average, %.0f at most.%n%n", all.steps, refreshes.size(),
        s.get("background_refreshes").asLong(), all.waitSeconds, all.stepSeconds,
        100 * s.get("wait_fraction").asDouble(), 100 * s.get("wait_fraction_after_initial_build").asDouble(),
        s.get("initial_build_seconds").asDouble(), s.get("mean_gap_steps").asDouble(), all.gapMax));
    md.append("## Mean gradient norm per negative (ANCE's analysis)\n\n");
    md.append("The norm of each negative's gradient at the encoder output, p(i, j) / t * |(q_i, d_j)| (see "
        + "NegativeGradients), averaged over the negatives of each kind.\n\n");
    md.append("| epoch | ANCE | mined | in-batch |\n|---|---|---|---|\n");
    byEpoch.forEach((epoch, t) -> md.append(row(String.valueOf(epoch + 1), t)));
    md.append(row("all", all)).append('\n');
    md.append("## Refreshes\n\n| # | mode | weights of step | published at step | encode s | index s | search s |\n"
        + "|---|---|---|---|---|---|---|\n");
    for (RefreshLog.Entry e : refreshes) {
      md.append(String.format(Locale.ROOT, "| %d | %s | %d | %d | %.1f | %.2f | %.2f |%n", e.refresh(),
          e.mode().name().toLowerCase(Locale.ROOT), e.weightsStep(), e.publishedAtStep(), e.encodeSeconds(),
          e.indexSeconds(), e.searchSeconds()));
    }
    return md.toString();
  }

  private static String row(String label, Tally t) {
    return String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.4f |%n", label, t.meanNorm(NegativeGradients.Kind.ANCE),
        t.meanNorm(NegativeGradients.Kind.MINED), t.meanNorm(NegativeGradients.Kind.IN_BATCH));
  }
}
