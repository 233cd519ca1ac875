package dev.quarry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.condenser.FineTuneRounds;
import dev.quarry.condenser.RoundsConfig;
import dev.quarry.data.Dataset;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "finetune-rounds", mixinStandardHelpOptions = true,
    description = {"coCondenser's two fine-tuning rounds from one config: round 1 with BM25 negatives, mining with the "
        + "round-1 model, round 2 from the pre-trained model again with the mined negatives added to BM25's. Each "
        + "stage works in OUT/<stage>; finished stages are skipped when the command runs again, and a killed one "
        + "resumes from its checkpoint. Writes OUT/report.md."})
final class FinetuneRoundsCommand implements Callable<Integer>, Resumable {
  @Spec
  CommandSpec spec;

  @Mixin
  TrainingOptions options;

  @Option(names = "--test-split", defaultValue = "test", description = "Test split (default ${DEFAULT-VALUE}).")
  String testSplit;

  @Override
  public Integer call() throws Exception {
    RoundsConfig c = RoundsConfig.load(options.config, options.overrides());
    Dataset data = options.open();
    data.requireSplit(testSplit);
    Map<FineTuneRounds.Stage, JsonNode> stages = new FineTuneRounds(c, data, options.split, testSplit,
        options.output, options.cacheRoot(), new ConsoleProgress(System.err)).run();
    stages.forEach((stage, m) -> spec.commandLine().getErr().printf(Locale.ROOT,
        "finetune-rounds: %s%s, %.1f min%n", stage.name().toLowerCase(Locale.ROOT), m.path("test").has("ndcg@10")
            ? String.format(Locale.ROOT, " nDCG@10 %.4f, R@100 %.4f", m.path("test").path("ndcg@10").asDouble(),
                m.path("test").path("recall@100").asDouble()) : "", m.path("minutes").asDouble()));
    spec.commandLine().getErr().println("finetune-rounds: wrote " + options.output.resolve("report.md"));
    return 0;
  }
}
