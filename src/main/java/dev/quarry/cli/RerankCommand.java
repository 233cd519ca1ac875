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

  @Mixin
  CrossEncoderOptions scorer;

  @Option(names = "--top", defaultValue = "100", description = "Hits per query to rerank (default ${DEFAULT-VALUE}).")
  int top;

  @Option(names = "--output", required = true, paramLabel = "FILE", description = "Reranked TREC run to write.")
  Path output;

  @Override
  public Integer call() {
    long started = System.nanoTime();
    Run run;
    Run reranked;
    try (CrossEncoder ce = scorer.load()) {
      Dataset dataset = data.open();
      run = scorer.run();
      reranked = new Reranker(ce, scorer.batchSize).rerank(dataset, data.split, run, top,
          "quarry-rerank-" + scorer.model.getFileName(), new ConsoleProgress(System.err));
    }
    TrecFormat.writeRun(output, reranked);
    spec.commandLine().getErr().printf(Locale.ROOT, "rerank: top %d of %d queries in %.0f s, wrote %s%n", top,
        run.queryIds().size(), (System.nanoTime() - started) / 1e9, output);
    return 0;
  }
}
