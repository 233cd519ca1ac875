package dev.quarry.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.ance.AnceNegatives;
import dev.quarry.data.Dataset;
import dev.quarry.data.Run;
import dev.quarry.data.TrecFormat;
import dev.quarry.dense.DenseRetriever;
import dev.quarry.dpr.DprTrainer;
import dev.quarry.dpr.TrainConfig;
import dev.quarry.dpr.TrainConfigLoader;
import dev.quarry.eval.Metric;
import dev.quarry.eval.SplitEvaluation;
import dev.quarry.io.JsonLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Train a dense retriever (DPR: in-batch and mined hard negatives, optional gradient caching; "
        + "with an ance section, also negatives from an index of the corpus refreshed in the background) from "
        + "a YAML config; resumes from OUT/checkpoints after a crash. Writes OUT/model (best dev epoch), "
        + "metrics.jsonl, training-curves.png, OUT/<test-split>.trec (OUT/model's test run), metrics.json (its "
        + "--metrics, by default with answer accuracy@1/20/100 on QA data) and config.json (the config, the --set overrides and "
        + "the effective config)."})
final class TrainCommand implements Callable<Integer>, Resumable {
  @Spec
  CommandSpec spec;

  @Mixin
  TrainingOptions run;

  @Option(names = "--test-split", defaultValue = "test", description = "Split evaluated at the end (default ${DEFAULT-VALUE}); none to skip.")
  String testSplit;

  @Mixin
  MetricsOption metrics = new MetricsOption();

  @Override
  public Integer call() throws Exception {
    TrainConfig c = TrainConfigLoader.load(run.config, run.overrides());
    Dataset data = run.open();
    boolean testing = !testSplit.equals("none");
    List<Metric> measures = List.of();
    if (testing) {
      data.requireSplit(testSplit);
      measures = metrics.forSplit(data, testSplit);   // checked before hours of training
    }
    DprTrainer.Summary s = new DprTrainer(c, run.job(data)).train();
    run.recordConfig(c.toJson());
    ObjectNode report = TrainingOptions.report(s.steps(), s.bestEpoch(), s.devNdcg10(), s.minutes());
    Path anceSummary = run.output.resolve(AnceNegatives.FOLDER).resolve("summary.json");
    if (c.ance().isPresent() && Files.exists(anceSummary)) {
      report.set("ance", JsonLines.MAPPER.readTree(anceSummary.toFile()));
    }
    if (testing) {
      Run test = DenseRetriever.test(data, testSplit, s.model(), run.cacheRoot(), new ConsoleProgress(System.err));
      TrecFormat.writeRun(run.output.resolve(testSplit + ".trec"), test);
      report.set(testSplit, SplitEvaluation.evaluate(data, testSplit, test, measures).meansJson());
    }
    run.writeReport(report, spec.commandLine().getOut());
    spec.commandLine().getErr().printf(Locale.ROOT, "train: %d steps, best dev epoch %d, model in %s%n", s.steps(),
        s.bestEpoch(), s.model());
    return 0;
  }
}
