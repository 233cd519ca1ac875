package dev.quarry.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.data.Dataset;
import dev.quarry.data.Run;
import dev.quarry.data.TrecFormat;
import dev.quarry.eval.Metric;
import dev.quarry.eval.SplitEvaluation;
import dev.quarry.model.InferenceEngine;
import dev.quarry.rerank.CrossEncoder;
import dev.quarry.rerank.CrossEncoderTrainer;
import dev.quarry.rerank.Reranker;
import dev.quarry.rerank.RerankerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train-reranker", mixinStandardHelpOptions = true,
    description = {"Train a cross-encoder (reranker) from a YAML config on groups mined from a retriever's run; "
        + "resumes from OUT/checkpoints. Writes OUT/model (best dev epoch), metrics.jsonl, training-curves.png and, "
        + "with --test-run, metrics.json with the test run's metrics before and after reranking it."})
final class TrainRerankerCommand implements Callable<Integer>, Resumable {
  @Spec
  CommandSpec spec;

  @Mixin
  TrainingOptions run;

  @Option(names = "--test-split", defaultValue = "test", description = "Split of --test-run (default ${DEFAULT-VALUE}).")
  String testSplit;

  @Option(names = "--test-run", paramLabel = "FILE", description = "A run of the test split to rerank at the end.")
  Path testRun;

  @Option(names = "--top", defaultValue = "100", description = "Hits of --test-run to rerank (default ${DEFAULT-VALUE}).")
  int top;

  @Mixin
  MetricsOption metrics = new MetricsOption();

  @Override
  public Integer call() throws Exception {
    RerankerConfig c = RerankerConfig.load(run.config, run.overrides());
    Dataset data = run.open();
    Run test = null;
    List<Metric> measures = List.of();
    if (testRun != null) {
      data.requireSplit(testSplit);
      measures = metrics.forSplit(data, testSplit);
      test = TrecFormat.readAnyRun(testRun);   // read first: a bad file fails before hours of training
    }
    CrossEncoderTrainer.Summary s = new CrossEncoderTrainer(c, run.job(data)).train();
    run.recordConfig(c.toJson());
    ObjectNode report = TrainingOptions.report(s.steps(), s.bestEpoch(), s.devNdcg10(), s.minutes());
    if (test != null) {
      long started = System.nanoTime();
      Run reranked;
      try (CrossEncoder ce = CrossEncoder.load(s.model(), InferenceEngine.DEFAULT)) {   // as rerank does
        reranked = new Reranker(ce, 64).rerank(data, testSplit, test, top, "quarry-rerank",
            new ConsoleProgress(System.err));
      }
      TrecFormat.writeRun(run.output.resolve(testSplit + "-reranked.trec"), reranked);
      ObjectNode t = report.putObject(testSplit);
      t.put("top", top);
      t.put("rerank_minutes", (System.nanoTime() - started) / 6e10);
      t.set("before", SplitEvaluation.evaluate(data, testSplit, test, measures).meansJson());
      t.set("after", SplitEvaluation.evaluate(data, testSplit, reranked, measures).meansJson());
    }
    run.writeReport(report, spec.commandLine().getOut());
    spec.commandLine().getErr().printf(Locale.ROOT, "train-reranker: %d steps, best dev epoch %d, model in %s%n",
        s.steps(), s.bestEpoch(), s.model());
    return 0;
  }
}
