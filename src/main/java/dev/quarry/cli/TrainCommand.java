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
import dev.quarry.eval.SplitEvaluation;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.JsonLines;
import java.nio.file.Files;
import java.nio.file.Path;
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
        + "metrics, with answer accuracy@1/20/100 on QA data) and config.json (the config, the --set overrides and "
        + "the effective config)."})
final class TrainCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  TrainingOptions run;

  @Option(names = "--test-split", defaultValue = "test", description = "Split evaluated at the end (default ${DEFAULT-VALUE}); none to skip.")
  String testSplit;

  @Override
  public Integer call() throws Exception {
    TrainConfig c = TrainConfigLoader.load(run.config, run.overrides());
    Dataset data = run.open();
    DprTrainer.Summary s = new DprTrainer(c, run.job(data)).train();
    run.recordConfig(c.toJson());
    ObjectNode metrics = JsonLines.MAPPER.createObjectNode();
    metrics.put("steps", s.steps());
    metrics.put("best_epoch", s.bestEpoch());
    ObjectNode dev = metrics.putObject("dev_ndcg@10");
    s.devNdcg10().forEach((epoch, v) -> dev.put("epoch " + epoch, v));
    metrics.put("training_minutes", s.minutes());
    Path anceSummary = run.output.resolve(AnceNegatives.FOLDER).resolve("summary.json");
    if (c.ance().isPresent() && Files.exists(anceSummary)) {
      metrics.set("ance", JsonLines.MAPPER.readTree(anceSummary.toFile()));
    }
    if (!testSplit.equals("none")) {
      data.requireSplit(testSplit);
      Run test = DenseRetriever.test(data, testSplit, s.model(), run.cacheRoot(), new ConsoleProgress(System.err));
      TrecFormat.writeRun(run.output.resolve(testSplit + ".trec"), test);
      metrics.set(testSplit, SplitEvaluation.evaluate(data, testSplit, test).meansJson());
    }
    AtomicOutput.writeString(run.output.resolve("metrics.json"), metrics.toPrettyString() + "\n");
    spec.commandLine().getOut().println(metrics.toPrettyString());
    spec.commandLine().getErr().printf(Locale.ROOT, "train: %d steps, best dev epoch %d, model in %s%n", s.steps(),
        s.bestEpoch(), s.model());
    return 0;
  }
}
