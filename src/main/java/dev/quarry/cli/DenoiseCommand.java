package dev.quarry.cli;

import dev.quarry.data.Dataset;
import dev.quarry.data.TrecFormat;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.OutputPaths;
import dev.quarry.rocketqa.Denoiser;
import dev.quarry.teacher.Judges;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "denoise", mixinStandardHelpOptions = true,
    description = {"RocketQA's denoising: a cross-encoder or a fitted teacher scores the top K of a retriever's run of the training "
        + "queries; only confident negatives (and the labeled positives) stay. Writes the denoised run, for "
        + "`quarry mine`, and a per-rank report of what the cross-encoder judged."})
final class DenoiseCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  DatasetOptions data;

  @Mixin
  JudgeOptions scorer;

  @Mixin
  RunInputOption input;

  @Option(names = "--top", defaultValue = "30", description = "Hits per query to judge (default ${DEFAULT-VALUE}).")
  int top;

  @Option(names = "--negative-below", defaultValue = "0.1",
      description = "Keep a passage as a negative when its probability is below this (default ${DEFAULT-VALUE}).")
  double negativeBelow;

  @Option(names = "--positive-above", defaultValue = "0.9",
      description = "Count a passage as judged positive from this probability (default ${DEFAULT-VALUE}).")
  double positiveAbove;

  @Option(names = "--output", required = true, paramLabel = "FILE", description = "Denoised TREC run to write.")
  Path output;

  @Option(names = "--report", required = true, paramLabel = "FILE", description = "Per-rank report (JSON) to write.")
  Path report;

  @Override
  public Integer call() {
    OutputPaths.file(output, "--output");
    OutputPaths.file(report, "--report");
    Denoiser.Thresholds thresholds = new Denoiser.Thresholds(negativeBelow, positiveAbove);
    Denoiser.Result result;
    Dataset dataset = data.open();
    ConsoleProgress progress = new ConsoleProgress(System.err);
    try (Judges.Opened judge = scorer.open(dataset, progress)) {
      result = new Denoiser(judge.judge()).denoise(dataset, data.split, input.run(), top, thresholds,
          "quarry-denoised", progress);
    }
    TrecFormat.writeRun(output, result.denoised());
    var json = result.report().toJson();
    AtomicOutput.writeString(report, json.toPrettyString() + "\n");
    var total = json.path("total");
    spec.commandLine().getErr().printf(Locale.ROOT, "denoise: %d retrieved, %d labeled positive, %d judged positive "
        + "(%.1f%% of unlabeled), %d kept as negatives; wrote %s and %s%n", total.path("retrieved").asLong(),
        total.path("labeled_positive").asLong(), total.path("judged_positive").asLong(),
        100 * total.path("judged_positive_ratio").asDouble(), total.path("kept_negative").asLong(), output, report);
    return 0;
  }
}
