package dev.quarry.spark;

import dev.quarry.cli.DatasetOptions;
import dev.quarry.cli.Flags;
import dev.quarry.cli.JudgeOptions;
import dev.quarry.cli.RunInputOption;
import dev.quarry.data.Run;
import dev.quarry.data.TrecFormat;
import dev.quarry.io.OutputPaths;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "score", mixinStandardHelpOptions = true,
    description = {"Score the top K pairs of each query of a run with a cross-encoder or a fitted teacher, the "
        + "queries cut into slices scored by Spark tasks: the run quarry rerank writes (the scores denoising and "
        + "distillation read)."})
final class SparkScoreCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  DatasetOptions data;

  @Mixin
  JudgeOptions scorer;

  @Mixin
  RunInputOption input;

  @Option(names = "--top", defaultValue = "100", description = "Hits per query to score (default ${DEFAULT-VALUE}).")
  int top;

  @Option(names = "--output", required = true, paramLabel = "FILE", description = "Reranked TREC run to write.")
  Path output;

  @Mixin
  SparkOptions sparkOptions = new SparkOptions();

  @Override
  public Integer call() {
    OutputPaths.file(output, "--output");
    Flags.positive(top, "--top");
    long started = System.nanoTime();
    data.open();
    Run run = input.run();
    PairScoringJob.Request request = new PairScoringJob.Request(SparkCommands.judge(scorer, data.dataset,
        data.format), data.split, top, "quarry-rerank-" + scorer.model.getFileName());
    try (JavaSparkContext spark = sparkOptions.start("score")) {
      int parts = sparkOptions.partitions(spark);
      Run scored = PairScoringJob.run(spark, request, run, parts);
      TrecFormat.writeRun(output, scored);
      spec.commandLine().getErr().printf(Locale.ROOT, "spark score: top %d of %d queries in %d slices on %s, %.0f s, "
          + "wrote %s%n", top, run.queryIds().size(), parts, spark.master(), (System.nanoTime() - started) / 1e9,
          output);
    }
    return 0;
  }
}
