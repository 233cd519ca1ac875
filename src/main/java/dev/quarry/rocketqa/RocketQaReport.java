package dev.quarry.rocketqa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.data.Dataset;
import dev.quarry.data.TrecFormat;
import dev.quarry.eval.EvalReport;
import dev.quarry.eval.Metric;
import dev.quarry.eval.PairedComparison;
import dev.quarry.eval.SplitEvaluation;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.JsonLines;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The pipeline's report: {@code OUT/report.json} ({@code {"stages": {"md0": {"ndcg@10": ..., "recall@100": ...,
 * "minutes": ...}, ...}}}) and {@code OUT/report.md}, the ablation table, each stage's time and the denoise
 * statistics per rank.
 */
final class RocketQaReport {
  private static final Metric NDCG10 = Metric.parse("ndcg@10");

  private RocketQaReport() {
  }

  static void write(Path out, Map<Stage, StageResult> results, JsonNode denoise, Map<Control, StageResult> controls,
      Dataset dataset, String testSplit, long seed) {
    ObjectNode root = JsonLines.MAPPER.createObjectNode();
    ObjectNode stages = root.putObject("stages");
    StringBuilder md = new StringBuilder("# RocketQA pipeline\n\n| stage | nDCG@10 | R@100 | MRR@10 | dev nDCG@10 | "
        + "minutes |\n|---|---|---|---|---|---|\n");
    double total = 0;
    for (StageResult r : results.values()) {
      stages.set(r.stage().dirName(), r.metricsJson());
      total += r.minutes();
      OptionalDouble dev = r.dev("ndcg@10");
      md.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %s | %.1f |%n", r.stage().dirName(),
          r.test("ndcg@10").orElse(Double.NaN), r.test("recall@100").orElse(Double.NaN),
          r.test("mrr@10").orElse(Double.NaN), dev.isPresent() ? String.format(Locale.ROOT, "%.4f", dev.getAsDouble())
          : "", r.minutes()));
    }
    root.put("total_minutes", total);
    md.append(String.format(Locale.ROOT, "%nTotal: %.1f minutes. MC reranks %s; its recall@100 past that depth is "
        + "MD0's.%n%n## Denoising (MD1's hard negatives)%n%nPer rank of MD0's run of the training queries: "
        + "unlabeled passages MC judges positive (probability >= the positive threshold), those it drops as likely "
        + "false negatives (probability >= the negative threshold), and those kept as negatives.%n%n"
        + "| rank | retrieved | labeled positive | judged positive (of unlabeled) | dropped (of unlabeled) | "
        + "kept as negatives |%n|---|---|---|---|---|---|%n", total,
        results.get(Stage.MC).notes().getOrDefault("reranks", "?")));
    for (JsonNode r : denoise.path("ranks")) {
      md.append(String.format(Locale.ROOT, "| %d | %d | %d | %d (%.1f%%) | %.1f%% | %d |%n",
          r.path("rank").asInt(), r.path("retrieved").asLong(), r.path("labeled_positive").asLong(),
          r.path("judged_positive").asLong(), 100 * r.path("judged_positive_ratio").asDouble(),
          100 * r.path("dropped_ratio").asDouble(), r.path("kept_negative").asLong()));
    }
    JsonNode t = denoise.path("total");
    md.append(String.format(Locale.ROOT, "| all | %d | %d | %d (%.1f%%) | %.1f%% | %d |%n",
        t.path("retrieved").asLong(), t.path("labeled_positive").asLong(), t.path("judged_positive").asLong(),
        100 * t.path("judged_positive_ratio").asDouble(), 100 * t.path("dropped_ratio").asDouble(),
        t.path("kept_negative").asLong()));
    root.set("denoise", t);
    JsonNode md2 = results.get(Stage.MD2).inputs();
    md.append(String.format(Locale.ROOT, "%n## Augmentation (MD2's extra data)%n%n%d unlabeled queries retrieved by "
        + "MD1 and labeled by MC: %d groups with a confident positive and negative (%d without a confident positive, "
        + "%d without a confident negative); %d of them joined the %d labeled groups.%n",
        md2.path("pseudo_queries").asInt(), md2.path("augmented_groups").asInt(),
        md2.path("without_confident_positive").asInt(), md2.path("without_confident_negative").asInt(),
        md2.path("augmented_groups_used").asInt(), md2.path("labeled_groups").asInt()));
    JsonNode quality = md2.path("label_quality");
    if (quality.isObject()) {
      long overlap = quality.path("judge_dev_overlap").asLong(-1);   // -1: a manifest from before it was recorded
      md.append(String.format(Locale.ROOT, "%n## How far MC's labels can be trusted%n%nMC labeled MD1's top %d of the "
          + "%d dev queries (judgments withheld from every dual encoder) as it labels unlabeled queries: %d pairs, %d "
          + "judged relevant in the qrels.%s%n%n| labels | count | precision | recall |%n|---|---|---|---|%n",
          quality.path("depth").asInt(), quality.path("queries").asInt(), quality.path("pairs").asInt(),
          quality.path("judged_relevant_pairs").asInt(), overlap > 0 ? String.format(Locale.ROOT, " %d of these "
              + "queries are among those MC was fitted on (its calibration, and a teacher's weights or a "
              + "cross-encoder's checkpoint choice), so its numbers here are optimistic.", overlap)
              : overlap < 0 ? " Whether MC was fitted on these queries was not recorded (a stage finished before the "
              + "count was kept): with the same dev settings it was, and the numbers are then optimistic." : ""));
      JsonNode rows = quality.path("thresholds");
      JsonNode negative = row(rows, quality.path("negative_below").asDouble());
      JsonNode positive = row(rows, quality.path("positive_above").asDouble());
      md.append(String.format(Locale.ROOT, "| positive (p >= %s) | %d | %.4f | %.4f |%n",
          positive.path("threshold").asText(), positive.path("positive_labels").asInt(),
          positive.path("positive_precision").asDouble(), positive.path("positive_recall").asDouble()));
      md.append(String.format(Locale.ROOT, "| negative (p < %s) | %d | %.4f | %.4f |%n",
          negative.path("threshold").asText(), negative.path("negative_labels").asInt(),
          negative.path("negative_precision").asDouble(), negative.path("negative_recall").asDouble()));
      md.append("\nUnjudged passages count as not relevant, so on sparse qrels positive precision is a lower bound.\n");
    }
    root.set("augmentation", md2);
    if (!controls.isEmpty()) {
      md.append(String.format(Locale.ROOT, "%n## Controls%n%nEach control is the stage it names trained again from "
          + "its own section (same steps, batch, schedule, seed) with one thing changed. Difference and p: the stage "
          + "minus its control on test nDCG@10, per query, with a paired randomization test (10,000 trials).%n%n"
          + "| control | test nDCG@10 | R@100 | dev nDCG@10 | the stage | stage - control | better / worse | "
          + "randomization p | minutes |%n|---|---|---|---|---|---|---|---|---|%n"));
      ObjectNode controlsJson = root.putObject("controls");
      for (Map.Entry<Control, StageResult> e : controls.entrySet()) {
        Control control = e.getKey();
        StageResult r = e.getValue();
        Stage stage = control.controls();
        EvalReport stageReport = SplitEvaluation.evaluate(dataset, testSplit,
            TrecFormat.readAnyRun(out.resolve(stage.dirName()).resolve("test.trec")));
        EvalReport controlReport = SplitEvaluation.evaluate(dataset, testSplit,
            TrecFormat.readAnyRun(out.resolve("controls").resolve(control.dirName()).resolve("test.trec")));
        PairedComparison c = PairedComparison.of(controlReport, stageReport, NDCG10, 10_000, seed);
        ObjectNode j = r.metricsJson();
        j.put("controls", stage.dirName()).put("stage_minus_control", c.meanB() - c.meanA())
            .put("randomization_p", c.randomizationP()).put("better", c.wins()).put("worse", c.losses());
        controlsJson.set(control.dirName(), j);
        OptionalDouble dev = r.dev("ndcg@10");
        md.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %s | %s %.4f | %+.4f | %d / %d | %.4f | %.1f |%n",
            control.label(), r.test("ndcg@10").orElse(Double.NaN), r.test("recall@100").orElse(Double.NaN),
            dev.isPresent() ? String.format(Locale.ROOT, "%.4f", dev.getAsDouble()) : "", stage.dirName(),
            c.meanB(), c.meanB() - c.meanA(), c.wins(), c.losses(), c.randomizationP(), r.minutes()));
      }
    }
    AtomicOutput.writeString(out.resolve("report.json"), root.toPrettyString() + "\n");
    AtomicOutput.writeString(out.resolve("report.md"), md.toString());
  }

  /** The row of {@code threshold} among a label-quality report's rows. */
  private static JsonNode row(JsonNode rows, double threshold) {
    for (JsonNode r : rows) {
      if (r.path("threshold").asDouble() == threshold) {
        return r;
      }
    }
    throw new IllegalStateException("the label-quality report has no row for threshold " + threshold);
  }
}
