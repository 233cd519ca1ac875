package dev.quarry.spark;

import dev.quarry.cli.ConsoleProgress;
import dev.quarry.cli.DatasetOptions;
import dev.quarry.cli.EncodingOptions;
import dev.quarry.cli.Flags;
import dev.quarry.cli.MiningOptions;
import dev.quarry.cli.ThreadsOption;
import dev.quarry.data.Dataset;
import dev.quarry.data.Run;
import dev.quarry.data.TrecFormat;
import dev.quarry.io.OutputPaths;
import dev.quarry.mine.MiningConfig;
import dev.quarry.mine.MiningReport;
import dev.quarry.mine.NegativeMiner;
import dev.quarry.model.ModelDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "mine", mixinStandardHelpOptions = true,
    description = {"Mine hard negatives with a dense model (ANCE, coCondenser round 2): the split's queries searched "
        + "on Spark as spark search does, then training groups written as quarry mine writes them from that run."})
final class SparkMineCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  DatasetOptions data;

  @Mixin
  VectorsOptions vectors = new VectorsOptions();

  @Option(names = "--hits", defaultValue = "100",
      description = "Candidates searched per query; at least --to (default ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--output", required = true, paramLabel = "FILE", description = "Training groups (JSONL) to write.")
  Path output;

  @Option(names = "--run-output", paramLabel = "FILE", description = "Also write the candidate run (TREC).")
  Path runOutput;

  @Mixin
  MiningOptions mining = new MiningOptions();

  @Mixin
  EncodingOptions encoding = new EncodingOptions();

  @Mixin
  ThreadsOption threads = new ThreadsOption();

  @Mixin
  SparkOptions sparkOptions = new SparkOptions();

  @Override
  public Integer call() throws java.io.IOException {
    OutputPaths.file(output, "--output");
    if (runOutput != null) {
      OutputPaths.file(runOutput, "--run-output");
    }
    Flags.positive(k, "--hits");
    MiningConfig config = mining.config("dense");
    if (k < config.to()) {
      throw new IllegalArgumentException("--hits " + k + " is below --to " + config.to() + ": the negatives' ranks "
          + "must be among the hits searched");
    }
    Dataset dataset = data.open();
    Path modelDir = ModelDirectory.resolve(vectors.model, encoding.cacheRoot());
    ConsoleProgress progress = new ConsoleProgress(System.err);
    Run run;
    try (JavaSparkContext spark = sparkOptions.start("mine")) {
      run = SparkCommands.search(spark, dataset, data.split, modelDir, encoding.engine(), vectors.vectors,
          encoding.batchSize(), k, sparkOptions.partitions(spark),
          "quarry-dense-" + Path.of(vectors.model).getFileName(), progress);
    }
    // Mined from the run as its TREC file holds it (scores as written), so the groups equal quarry mine's on it.
    Path runFile = runOutput != null ? runOutput : output.resolveSibling(output.getFileName() + ".candidates.trec");
    TrecFormat.writeRun(runFile, run);
    MiningReport report;
    try {
      report = new NegativeMiner(config).mine(dataset, data.split, TrecFormat.readAnyRun(runFile), output, progress);
    } finally {
      if (runOutput == null) {
        java.nio.file.Files.deleteIfExists(runFile);
      }
    }
    PrintWriter err = spec.commandLine().getErr();
    err.print(MiningOptions.describe(report, config).replace("mine:", "spark mine:"));
    err.printf("spark mine: wrote %s%n", output);
    err.flush();
    return 0;
  }
}
