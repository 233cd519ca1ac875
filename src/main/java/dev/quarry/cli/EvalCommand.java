package dev.quarry.cli;

import dev.quarry.data.Qrels;
import dev.quarry.data.Run;
import dev.quarry.data.TrecFormat;
import dev.quarry.eval.EvalReport;
import dev.quarry.eval.Evaluator;
import dev.quarry.eval.Metric;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.OutputPaths;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "eval", mixinStandardHelpOptions = true,
    description = {"Evaluate a run (TREC or MS MARCO format) with trec_eval's semantics.",
        "Metrics: ndcg@K, recall@K, p@K, map, map@K, mrr, mrr@K, rprec, accuracy@K (QA data)."})
final class EvalCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  JudgmentOptions judgments;

  @Option(names = "--run", required = true, paramLabel = "FILE", description = "Run to evaluate.")
  Path runFile;

  @Option(names = "--metrics", defaultValue = "ndcg@10,recall@100,recall@1000,mrr@10,map",
      description = "Comma-separated metrics (default ${DEFAULT-VALUE}).")
  String metrics;

  @Option(names = "--json", description = "Print one JSON object of means on stdout.")
  boolean json;

  @Option(names = "--per-query", paramLabel = "FILE",
      description = "Write per-query values as TSV (query-id, then one column per metric).")
  Path perQuery;

  @Override
  public Integer call() {
    OutputPaths.file(perQuery, "--per-query");
    List<Metric> wanted = Metric.parseList(metrics);
    Qrels qrels = judgments.qrels();
    Run run = TrecFormat.readAnyRun(runFile);
    EvalReport report = new Evaluator(judgments.config()).evaluate(qrels, run, wanted, judgments.answers(wanted, run));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(report.meansJson().toString());
    } else {
      out.print(Reports.table(report, runFile.getFileName().toString()));
    }
    if (perQuery != null) {
      writePerQuery(report, perQuery);
    }
    out.flush();
    return 0;
  }

  private static void writePerQuery(EvalReport report, Path file) {
    StringBuilder sb = new StringBuilder("query-id");
    report.metrics().forEach(m -> sb.append('\t').append(m.name()));
    sb.append('\n');
    for (Map.Entry<String, double[]> e : report.perQuery().entrySet()) {
      sb.append(e.getKey());
      for (double v : e.getValue()) {
        sb.append('\t').append(v);
      }
      sb.append('\n');
    }
    AtomicOutput.writeString(file, sb.toString());
  }
}
