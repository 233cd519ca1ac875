package dev.quarry.cli;

import dev.quarry.data.Dataset;
import dev.quarry.rocketqa.RocketQaConfig;
import dev.quarry.rocketqa.RocketQaPipeline;
import dev.quarry.rocketqa.Stage;
import dev.quarry.rocketqa.StageResult;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "pipeline", mixinStandardHelpOptions = true,
    description = {"Run RocketQA's MD0 -> MC -> MD1 -> MD2 from one config. Each stage works in OUT/<stage>; "
        + "finished stages are skipped when the command runs again, and a killed stage resumes from its checkpoint. "
        + "Writes OUT/report.json and OUT/report.md."})
final class PipelineCommand implements Callable<Integer>, Resumable {
  @Spec
  CommandSpec spec;

  @Mixin
  TrainingOptions options;

  @Option(names = "--test-split", defaultValue = "test", description = "Test split (default ${DEFAULT-VALUE}).")
  String testSplit;

  @Override
  public Integer call() throws Exception {
    RocketQaConfig c = RocketQaConfig.load(options.config, options.overrides());
    Dataset data = options.open();
    data.requireSplit(testSplit);
    Map<Stage, StageResult> stages = new RocketQaPipeline(c, data, options.split, testSplit, options.output,
        options.cacheRoot(), new ConsoleProgress(System.err)).run();
    stages.forEach((stage, r) -> spec.commandLine().getErr().printf(Locale.ROOT,
        "pipeline: %s nDCG@10 %.4f, R@100 %.4f, %.1f min%n", stage.dirName(), r.test("ndcg@10").orElse(Double.NaN),
        r.test("recall@100").orElse(Double.NaN), r.minutes()));
    spec.commandLine().getErr().println("pipeline: wrote " + options.output.resolve("report.md"));
    return 0;
  }
}
