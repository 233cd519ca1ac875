package dev.quarry.cli;

import dev.quarry.data.Dataset;
import dev.quarry.data.Run;
import dev.quarry.data.TrecFormat;
import dev.quarry.rerank.CrossEncoder;
import dev.quarry.rerank.Reranker;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "rerank", mixinStandardHelpOptions = true,
    description = {"Rerank the top K of each query of a run with a cross-encoder; the rest of each ranking stays "
        + "below, in its old order."})
final class RerankCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  DatasetOptions data;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Cross-encoder directory.")
  Path model;

  @Option(names = "--run", required = true, paramLabel = "FILE", description = "Run to rerank (TREC or MS MARCO).")
  Path input;

  @Option(names = "--top", defaultValue = "100", description = "Hits per query to rerank (default ${DEFAULT-VALUE}).")
  int top;

  @Option(names = "--batch-size", defaultValue = "32", description = "Pairs per forward pass (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--output", required = true, paramLabel = "FILE", description = "Reranked TREC run to write.")
  Path output;

  @Override
  public Integer call() {
    if (!CrossEncoder.isCrossEncoder(model)) {
      throw new IllegalArgumentException("--model " + model + " is not a cross-encoder directory (its quarry.json "
          + "must have format quarry-cross-encoder/1)");
    }
    Dataset dataset = data.open();
    Run run = TrecFormat.readAnyRun(input);
    long started = System.nanoTime();
    Run reranked;
    try (CrossEncoder ce = CrossEncoder.load(model)) {
      reranked = new Reranker(ce, batchSize).rerank(dataset, data.split, run, top,
          "quarry-rerank-" + model.getFileName(), new ConsoleProgress(System.err));
    }
    TrecFormat.writeRun(output, reranked);
    spec.commandLine().getErr().printf(Locale.ROOT, "rerank: top %d of %d queries in %.0f s, wrote %s%n", top,
        run.queryIds().size(), (System.nanoTime() - started) / 1e9, output);
    return 0;
  }
}
