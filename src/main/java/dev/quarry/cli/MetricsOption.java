package dev.quarry.cli;

import dev.quarry.data.Dataset;
import dev.quarry.eval.Metric;
import dev.quarry.eval.SplitEvaluation;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --metrics}: the measures of a command's test report, as {@code eval --metrics} names them. */
final class MetricsOption {
  @Option(names = "--metrics", paramLabel = "LIST", description = "Comma-separated measures of the test report, as "
      + "eval takes them (default: ndcg@10,recall@100,recall@1000,mrr@10, and accuracy@1,accuracy@20,accuracy@100 "
      + "where the split has answers).")
  String metrics;

  /** The measures for {@code split}, checked against it: call it before the work, so a typo costs no training. */
  List<Metric> forSplit(Dataset data, String split) {
    return metrics == null ? SplitEvaluation.metrics(data, split)
        : SplitEvaluation.checked(data, split, Metric.parseList(metrics));
  }
}
