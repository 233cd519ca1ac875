package dev.quarry.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.data.Qrels;
import dev.quarry.data.Run;
import dev.quarry.data.TrecFormat;
import dev.quarry.eval.EvalReport;
import dev.quarry.eval.Evaluator;
import dev.quarry.eval.Metric;
import dev.quarry.eval.PairedComparison;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.JsonLines;
import dev.quarry.io.OutputPaths;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "compare", mixinStandardHelpOptions = true,
    description = {"Compare two runs on each metric given: per-query differences, a paired t-test and a seeded "
        + "paired randomization test."})
final class CompareCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  JudgmentOptions judgments;

  @Parameters(index = "0", paramLabel = "RUN_A", description = "Baseline run.")
  Path runA;

  @Parameters(index = "1", paramLabel = "RUN_B", description = "Run compared with the baseline.")
  Path runB;

  @Option(names = "--metrics", defaultValue = "ndcg@10", split = ",",
      description = "Comma-separated metrics, each compared on its own (default ${DEFAULT-VALUE}).")
  List<String> metrics;

  @Option(names = "--trials", defaultValue = "10000", description = "Randomization trials (default ${DEFAULT-VALUE}).")
  int trials;

  @Option(names = "--seed", defaultValue = "42", description = "Randomization seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Print the comparison as one JSON object.")
  boolean json;

  @Option(names = "--per-query", paramLabel = "FILE",
      description = "Write per-query values and differences as TSV (query-id, A, B, B-A).")
  Path perQuery;

  @Override
  public Integer call() {
    OutputPaths.file(perQuery, "--per-query");
    List<Metric> ms = metrics.stream().map(Metric::parse).toList();
    if (perQuery != null && ms.size() != 1) {
      throw new IllegalArgumentException("--per-query writes one metric's values; give one metric, not " + metrics);
    }
    Qrels qrels = judgments.qrels();
    Evaluator evaluator = new Evaluator(judgments.config());
    Run a = TrecFormat.readAnyRun(runA);
    Run b = TrecFormat.readAnyRun(runB);
    EvalReport reportA = evaluator.evaluate(qrels, a, ms, judgments.answers(ms, a));
    EvalReport reportB = evaluator.evaluate(qrels, b, ms, judgments.answers(ms, b));
    PrintWriter out = spec.commandLine().getOut();
    for (Metric m : ms) {
      compare(out, PairedComparison.of(reportA, reportB, m, trials, seed), m);
    }
    out.flush();
    return 0;
  }

  /** Prints one metric's comparison (one JSON line with --json) and writes --per-query. */
  private void compare(PrintWriter out, PairedComparison c, Metric m) {
    if (json) {
      ObjectNode o = JsonLines.MAPPER.createObjectNode();
      o.put("metric", m.name()).put("queries", c.queryIds().size()).put("a", c.meanA()).put("b", c.meanB())
          .put("difference", c.meanB() - c.meanA()).put("t", c.t()).put("t_test_p", c.tTestP())
          .put("randomization_p", c.randomizationP()).put("trials", c.trials()).put("seed", c.seed())
          .put("wins", c.wins()).put("losses", c.losses()).put("ties", c.ties());
      out.println(o);
    } else {
      out.print(Reports.comparison(c, m.name(), runA.getFileName().toString(), runB.getFileName().toString()));
    }
    if (perQuery != null) {
      StringBuilder sb = new StringBuilder("query-id\tA\tB\tB-A\n");
      for (int i = 0; i < c.queryIds().size(); i++) {
        sb.append(c.queryIds().get(i)).append('\t').append(c.a()[i]).append('\t').append(c.b()[i]).append('\t')
            .append(c.b()[i] - c.a()[i]).append('\n');
      }
      AtomicOutput.writeString(perQuery, sb.toString());
    }
  }
}
