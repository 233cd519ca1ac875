package dev.quarry.cli;

import dev.quarry.data.Dataset;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.OutputPaths;
import dev.quarry.mine.DevSplit;
import dev.quarry.rerank.Candidates;
import dev.quarry.rerank.LabelQuality;
import dev.quarry.teacher.Judges;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "label-quality", mixinStandardHelpOptions = true,
    description = {"Measure a judge's (cross-encoder's or teacher's) labels where the truth is known: it labels the "
        + "top K retrieved pairs of labeled queries as RocketQA labels unlabeled ones (positive at p >= t, negative "
        + "below), and each threshold's positive and negative labels get their precision and recall against the "
        + "qrels. Use queries the judge was not fitted or trained on."})
final class LabelQualityCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  DatasetOptions data;

  @Mixin
  JudgeOptions scorer;

  @Mixin
  RunInputOption input;

  @Option(names = "--top", defaultValue = "30", description = "Retrieved pairs per query (default ${DEFAULT-VALUE}).")
  int top;

  @Option(names = "--queries", paramLabel = "N", description = "A seeded sample of N of the run's queries.")
  Integer queries;

  @Option(names = "--seed", defaultValue = "13", description = "Seed of --queries (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--thresholds", defaultValue = "0.1,0.3,0.5,0.7,0.9", split = ",",
      description = "Probability thresholds (default ${DEFAULT-VALUE}; RocketQA: 0.1 for negatives, 0.9 for "
          + "positives).")
  List<Double> thresholds;

  @Option(names = "--output", paramLabel = "FILE", description = "Also write the report as JSON.")
  Path output;

  @Override
  public Integer call() {
    OutputPaths.file(output, "--output");
    Flags.positive(top, "--top");
    Dataset dataset = data.open();
    Run run = input.run();
    List<Query> all = run.rankedOf(dataset.queries(data.split));
    List<Query> chosen = queries == null ? all : DevSplit.sample(all, Flags.positive(queries, "--queries"), seed);
    ConsoleProgress progress = new ConsoleProgress(System.err);
    LabelQuality.Report report;
    try (Judges.Opened judge = scorer.open(dataset, progress)) {
      report = LabelQuality.measure(judge.judge(), Candidates.of(dataset, data.split,
          run.restrictTo(new HashSet<>(chosen.stream().map(Query::id).toList())), top),
          dataset.qrels(data.split), thresholds, progress);
    }
    if (output != null) {
      AtomicOutput.writeString(output, report.toJson().toPrettyString() + "\n");
    }
    spec.commandLine().getOut().print(report.table());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
