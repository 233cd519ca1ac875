package dev.quarry.cli;

import dev.quarry.data.Dataset;
import dev.quarry.data.Run;
import dev.quarry.data.TrecFormat;
import dev.quarry.io.OutputPaths;
import dev.quarry.rerank.Reranker;
import dev.quarry.teacher.Judges;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "rerank", mixinStandardHelpOptions = true,
    description = {"Rerank the top K of each query of a run with a cross-encoder or a fitted teacher; the rest of each ranking stays "
        + "below, in its old order."})
final class RerankCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  DatasetOptions data;

  @Mixin
  JudgeOptions scorer;

  @Mixin
  RunInputOption input;

  @Option(names = "--top", defaultValue = "100", description = "Hits per query to rerank (default ${DEFAULT-VALUE}).")
  int top;

  @Option(names = "--output", required = true, paramLabel = "FILE", description = "Reranked TREC run to write.")
  Path output;

  @Override
  public Integer call() {
    OutputPaths.file(output, "--output");
    long started = System.nanoTime();
    Run run;
    Run reranked;
    Dataset dataset = data.open();
    ConsoleProgress progress = new ConsoleProgress(System.err);
    try (Judges.Opened judge = scorer.open(dataset, progress)) {
      run = input.run();
      reranked = new Reranker(judge.judge()).rerank(dataset, data.split, run, top,
          "quarry-rerank-" + scorer.model.getFileName(), progress);
    }
    TrecFormat.writeRun(output, reranked);
    spec.commandLine().getErr().printf(Locale.ROOT, "rerank: top %d of %d queries in %.0f s, wrote %s%n", top,
        run.queryIds().size(), (System.nanoTime() - started) / 1e9, output);
    return 0;
  }
}
