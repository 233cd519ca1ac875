package dev.quarry.spark;

import dev.quarry.cli.ConsoleProgress;
import dev.quarry.cli.DatasetOptions;
import dev.quarry.cli.EncodingOptions;
import dev.quarry.cli.Flags;
import dev.quarry.cli.ThreadsOption;
import dev.quarry.data.Run;
import dev.quarry.data.TrecFormat;
import dev.quarry.io.OutputPaths;
import dev.quarry.model.ModelDirectory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "search", mixinStandardHelpOptions = true,
    description = {"Exact dense search of a split's queries in corpus vectors (from spark encode or encode), the "
        + "corpus cut into parts searched by Spark tasks and merged: the run quarry dense --index flat writes."})
final class SparkSearchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  DatasetOptions data;

  @Mixin
  VectorsOptions vectors = new VectorsOptions();

  @Option(names = "--hits", defaultValue = "1000", description = "Hits written per query (default ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--output", required = true, paramLabel = "FILE", description = "TREC run to write.")
  Path output;

  @Option(names = "--tag", description = "Run tag (default quarry-dense-<model>, as quarry dense).")
  String tag;

  @Mixin
  EncodingOptions encoding = new EncodingOptions();

  @Mixin
  ThreadsOption threads = new ThreadsOption();

  @Mixin
  SparkOptions sparkOptions = new SparkOptions();

  @Override
  public Integer call() {
    OutputPaths.file(output, "--output");
    Flags.positive(k, "--hits");
    Flags.runTag(tag);
    long started = System.nanoTime();
    Path modelDir = ModelDirectory.resolve(vectors.model, encoding.cacheRoot());
    String runTag = tag != null ? tag : "quarry-dense-" + Path.of(vectors.model).getFileName();
    try (JavaSparkContext spark = sparkOptions.start("search")) {
      int parts = sparkOptions.partitions(spark);
      Run run = SparkCommands.search(spark, data.open(), data.split, modelDir, encoding.engine(), vectors.vectors,
          encoding.batchSize(), k, parts, runTag, new ConsoleProgress(System.err));
      TrecFormat.writeRun(output, run);
      spec.commandLine().getErr().printf(Locale.ROOT, "spark search: %d queries, %d corpus parts on %s, %.1f s, "
          + "wrote %s%n", run.queryIds().size(), parts, spark.master(), (System.nanoTime() - started) / 1e9, output);
    }
    return 0;
  }
}
