package dev.quarry.cli;

import dev.quarry.data.Dataset;
import dev.quarry.data.DatasetFormat;
import dev.quarry.data.Datasets;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.config.Overrides;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.JsonLines;
import dev.quarry.train.TrainingJob;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every training command shares: its config, the dataset and split, the output and the cache. */
final class TrainingOptions {
  @Option(names = "--config", required = true, paramLabel = "FILE", description = "Training config (YAML).")
  Path config;

  @Option(names = "--dataset", required = true, paramLabel = "DIR", description = "Dataset folder.")
  Path dataset;

  @Option(names = "--format", paramLabel = "FORMAT", description = "Dataset layout: ${COMPLETION-CANDIDATES}.")
  DatasetFormat format;

  @Option(names = "--split", defaultValue = "train",
      description = "Split the training groups come from (default ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output folder.")
  Path output;

  @Mixin
  CacheOption cache = new CacheOption();

  @Mixin
  ThreadsOption threads = new ThreadsOption();

  @Mixin
  OverridesOption set = new OverridesOption();

  /** The dataset, checked to have the training split. */
  Dataset open() {
    Dataset data = Datasets.open(dataset, format);
    data.requireSplit(split);
    return data;
  }

  /** The job a trainer runs as, reporting progress on the console. */
  TrainingJob job(Dataset data) {
    return new TrainingJob(config, data, split, output, cacheRoot(), new ConsoleProgress(System.err));
  }

  /** The {@code --set} overrides of the config's keys. */
  Overrides overrides() {
    return set.overrides();
  }

  /**
   * Writes {@code OUT/config.json} after a finished run: the config file, the {@code --set} overrides and the
   * effective config they gave (what the run's {@code config_sha256} hashes), since the file alone no longer says it.
   */
  void recordConfig(ObjectNode effective) {
    ObjectNode o = JsonLines.MAPPER.createObjectNode();
    o.put("config", config.toAbsolutePath().toString());
    set.overrides().texts().forEach(o.putArray("overrides")::add);
    o.set("effective", effective);
    AtomicOutput.writeString(output.resolve("config.json"), o.toPrettyString() + "\n");
  }

  /**
   * The head of a trainer's {@code metrics.json}: steps, the best dev epoch, dev nDCG@10 per epoch and minutes.
   */
  static ObjectNode report(long steps, int bestEpoch, java.util.Map<Integer, Double> devNdcg10, double minutes) {
    ObjectNode metrics = JsonLines.MAPPER.createObjectNode();
    metrics.put("steps", steps);
    metrics.put("best_epoch", bestEpoch);
    ObjectNode dev = metrics.putObject("dev_ndcg@10");
    devNdcg10.forEach((epoch, v) -> dev.put("epoch " + epoch, v));
    metrics.put("training_minutes", minutes);
    return metrics;
  }

  /** Writes a trainer's {@code OUT/metrics.json} and prints it on standard output. */
  void writeReport(ObjectNode metrics, java.io.PrintWriter out) {
    AtomicOutput.writeString(output.resolve("metrics.json"), metrics.toPrettyString() + "\n");
    out.println(metrics.toPrettyString());
  }

  Path cacheRoot() {
    return cache.root();
  }
}
