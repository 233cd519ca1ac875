package dev.quarry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.data.Dataset;
import dev.quarry.data.DatasetFormat;
import dev.quarry.data.Datasets;
import dev.quarry.pipeline.RocketQaConfig;
import dev.quarry.pipeline.RocketQaPipeline;
import dev.quarry.pipeline.Stage;
import dev.quarry.util.QuarryPaths;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "pipeline", mixinStandardHelpOptions = true,
    description = {"Run RocketQA's MD0 -> MC -> MD1 -> MD2 from one config. Each stage works in OUT/<stage>; "
        + "finished stages are skipped when the command runs again, and a killed stage resumes from its checkpoint. "
        + "Writes OUT/report.json and OUT/report.md."})
final class PipelineCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "Pipeline config (YAML).")
  Path config;

  @Option(names = "--dataset", required = true, paramLabel = "DIR", description = "Dataset folder.")
  Path dataset;

  @Option(names = "--format", paramLabel = "FORMAT", description = "Dataset layout: ${COMPLETION-CANDIDATES}.")
  DatasetFormat format;

  @Option(names = "--split", defaultValue = "train", description = "Training split (default ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--test-split", defaultValue = "test", description = "Test split (default ${DEFAULT-VALUE}).")
  String testSplit;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output folder.")
  Path output;

  @Option(names = "--cache", paramLabel = "DIR", description = "Cache folder (default ~/.cache/quarry).")
  Path cache;

  @Override
  public Integer call() throws Exception {
    RocketQaConfig c = RocketQaConfig.load(config);
    Dataset data = Datasets.open(dataset, format);
    data.requireSplit(split);
    data.requireSplit(testSplit);
    Map<Stage, JsonNode> stages = new RocketQaPipeline(c, data, split, testSplit, output,
        cache != null ? cache : QuarryPaths.cacheRoot(), new ConsoleProgress(System.err)).run();
    stages.forEach((stage, m) -> spec.commandLine().getErr().printf(Locale.ROOT,
        "pipeline: %s nDCG@10 %.4f, R@100 %.4f, %.1f min%n", stage.dirName(), m.path("metrics").path("ndcg@10")
            .asDouble(), m.path("metrics").path("recall@100").asDouble(), m.path("metrics").path("minutes").asDouble()));
    spec.commandLine().getErr().println("pipeline: wrote " + output.resolve("report.md"));
    return 0;
  }
}
