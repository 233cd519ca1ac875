package dev.quarry.cli;

import dev.quarry.data.Run;
import dev.quarry.data.TrecFormat;
import dev.quarry.rerank.CrossEncoder;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of the commands that score a run with a cross-encoder: the model, the run and the batch size. */
final class CrossEncoderOptions {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Cross-encoder directory.")
  Path model;

  @Option(names = "--run", required = true, paramLabel = "FILE", description = "Run to score (TREC or MS MARCO).")
  Path input;

  @Option(names = "--batch-size", defaultValue = "32", description = "Pairs per forward pass (default ${DEFAULT-VALUE}).")
  int batchSize;

  /** The cross-encoder, after checking that {@code --model} is one. */
  CrossEncoder load() {
    if (!CrossEncoder.isCrossEncoder(model)) {
      throw new IllegalArgumentException("--model " + model + " is not a cross-encoder directory (its quarry.json "
          + "must have format quarry-cross-encoder/1)");
    }
    return CrossEncoder.load(model);
  }

  Run run() {
    return TrecFormat.readAnyRun(input);
  }
}
