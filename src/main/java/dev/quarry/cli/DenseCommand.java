package dev.quarry.cli;

import dev.quarry.data.Dataset;
import dev.quarry.data.TrecFormat;
import dev.quarry.dense.DenseConfig;
import dev.quarry.dense.DenseRetriever;
import dev.quarry.io.OutputPaths;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "dense", mixinStandardHelpOptions = true,
    description = {"Encode a dataset's corpus (cached by model and corpus checksum, resumable) and a split's queries "
        + "with a dense encoder, search an exact or HNSW index, and write a TREC run."})
final class DenseCommand implements Callable<Integer>, Resumable {
  @Spec
  CommandSpec spec;

  @Mixin
  DatasetOptions data;

  @Option(names = "--model", required = true,
      description = "A bundled model (all-minilm-l6-v2, bge-small-en-v1.5, e5-small-v2) or a model directory.")
  String model;

  @Option(names = "--output", required = true, paramLabel = "FILE", description = "TREC run to write.")
  Path runFile;

  @Mixin
  VectorIndexOptions vectors = new VectorIndexOptions();

  @Option(names = "--hits", defaultValue = "1000", description = "Hits written per query (default ${DEFAULT-VALUE}).")
  int k;

  @Mixin
  EncodingOptions encoding = new EncodingOptions();

  @Mixin
  ThreadsOption threads = new ThreadsOption();

  @Option(names = "--tag", description = "Run tag (default quarry-dense-<model>).")
  String tag;

  @Override
  public Integer call() {
    OutputPaths.file(runFile, "--output");
    Flags.positive(k, "--hits");
    Flags.runTag(tag);
    DenseConfig config = new DenseConfig(model, vectors.type, vectors.hnsw(), k, encoding.batchSize(),
        encoding.cacheRoot(), encoding.engine());
    Dataset dataset = data.open();
    String runTag = tag != null ? tag : "quarry-dense-" + Path.of(model).getFileName();
    DenseRetriever.Outcome outcome = DenseRetriever.retrieve(dataset, data.split, config, runTag,
        new ConsoleProgress(System.err));
    TrecFormat.writeRun(runFile, outcome.run());
    PrintWriter err = spec.commandLine().getErr();
    err.printf(Locale.ROOT, "dense: model %s, corpus vectors %s (%d, %s), real tokens %.1f%% of padded, wrote %s%n",
        outcome.modelDir(), outcome.corpusVectors(), outcome.corpusEncoding().count(),
        outcome.corpusEncoding().resumedFrom() == outcome.corpusEncoding().count() ? "cached"
            : String.format(Locale.ROOT, "encoded in %.0f s", outcome.corpusEncoding().seconds()),
        100 * outcome.realTokenFraction(), runFile);
    return 0;
  }
}
