package dev.quarry.cli;

import dev.quarry.data.Dataset;
import dev.quarry.data.DatasetFormat;
import dev.quarry.data.Datasets;
import dev.quarry.data.Qrels;
import dev.quarry.data.Run;
import dev.quarry.data.TrecFormat;
import dev.quarry.eval.AnswerOracle;
import dev.quarry.eval.EvalConfig;
import dev.quarry.eval.Metric;
import dev.quarry.eval.MetricKind;
import dev.quarry.eval.PassageAnswerOracle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where judgments come from ({@code --dataset DIR --split S}, or {@code --qrels FILE} in BEIR TSV or TREC form) and
 * trec_eval's switches; shared by {@code eval} and {@code compare}.
 */
final class JudgmentOptions {
  @Option(names = "--dataset", paramLabel = "DIR", description = "Dataset whose qrels (and answers) judge the run.")
  Path dataset;

  @Option(names = "--split", paramLabel = "NAME", description = "Split of --dataset.")
  String split;

  @Option(names = "--format", paramLabel = "FORMAT", description = "Dataset layout: ${COMPLETION-CANDIDATES}.")
  DatasetFormat format;

  @Option(names = "--qrels", paramLabel = "FILE",
      description = "Qrels file (BEIR TSV or TREC qrels) in place of --dataset/--split.")
  Path qrelsFile;

  @Option(names = {"-l", "--relevance-level"}, defaultValue = "1",
      description = "Lowest relevance counted as relevant by binary measures, trec_eval -l (default ${DEFAULT-VALUE}).")
  int relevanceLevel;

  @Option(names = "--complete", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Average over every query of the qrels, a missing ranking scoring 0, as trec_eval -c "
          + "(default on; --no-complete averages only queries the run has).")
  boolean complete;

  @Option(names = {"-M", "--max-retrieved"}, defaultValue = "2147483647",
      description = "Documents per query evaluated after sorting, trec_eval -M (default all).")
  int maxRetrieved;

  private Dataset opened;

  EvalConfig config() {
    return new EvalConfig(relevanceLevel, complete, maxRetrieved);
  }

  Qrels qrels() {
    if (qrelsFile != null) {
      if (dataset != null || split != null) {
        throw new IllegalArgumentException("give either --qrels or --dataset with --split, not both");
      }
      return TrecFormat.readAnyQrels(qrelsFile);
    }
    return dataset().qrels(split);
  }

  /** The answer oracle that accuracy metrics need, or null when none asks for one. */
  AnswerOracle answers(List<Metric> metrics, Run run) {
    int depth = metrics.stream().filter(m -> m.kind() == MetricKind.ACCURACY).mapToInt(Metric::cutoff).max().orElse(0);
    if (depth == 0) {
      return null;
    }
    if (qrelsFile != null) {
      throw new IllegalArgumentException("accuracy@K needs answer strings: give --dataset and --split, not --qrels");
    }
    Map<String, List<String>> answers = dataset().answers(split).orElseThrow(() -> new IllegalArgumentException(
        "accuracy@K needs answer strings, and dataset " + dataset + " (" + dataset().format() + ") has none"));
    return PassageAnswerOracle.of(dataset(), answers, run, depth);
  }

  private Dataset dataset() {
    if (opened == null) {
      if (dataset == null || split == null) {
        throw new IllegalArgumentException("give --dataset with --split, or --qrels");
      }
      opened = Datasets.open(dataset, format);
      opened.requireSplit(split);
    }
    return opened;
  }
}
