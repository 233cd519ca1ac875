package dev.quarry.spark;

import dev.quarry.cli.CorpusEncodingOptions;
import dev.quarry.cli.EncodingOptions;
import dev.quarry.cli.Flags;
import dev.quarry.cli.ThreadsOption;
import dev.quarry.io.OutputPaths;
import dev.quarry.model.ModelDirectory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "encode", mixinStandardHelpOptions = true,
    description = {"Encode a dataset's corpus into a vectors artifact, one shard per Spark task: the same files as "
        + "quarry encode with the same settings. Run again after a failure, it hands out only the unfinished shards."})
final class SparkEncodeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  CorpusEncodingOptions corpus = new CorpusEncodingOptions();

  @Mixin
  EncodingOptions encoding = new EncodingOptions();

  @Mixin
  ThreadsOption threads = new ThreadsOption();

  @Mixin
  SparkOptions sparkOptions = new SparkOptions();

  @Override
  public Integer call() {
    OutputPaths.folder(corpus.output, "--output");
    Flags.positive(corpus.shardSize, "--shard-size");
    Path modelDir = ModelDirectory.resolve(corpus.model, encoding.cacheRoot());
    CorpusEncodingJob.Request request = new CorpusEncodingJob.Request(corpus.dataset.toAbsolutePath().toString(),
        corpus.format, modelDir.toAbsolutePath().toString(), encoding.engine(), encoding.cacheRoot().toAbsolutePath().toString(),
        encoding.batchSize(), corpus.shardSize, SparkCommands.threads());
    try (JavaSparkContext spark = sparkOptions.start("encode")) {
      CorpusEncodingJob.Result r = CorpusEncodingJob.run(spark, request, corpus.output, sparkOptions.partitions(spark),
          new dev.quarry.cli.ConsoleProgress(System.err));
      spec.commandLine().getErr().printf(Locale.ROOT,
          "spark encode: %d vectors in %s (%d already there), %d shards encoded on %s, %.1f s%n", r.count(),
          corpus.output, r.resumedFrom(), r.shardsEncoded(), spark.master(), r.seconds());
    }
    return 0;
  }
}
