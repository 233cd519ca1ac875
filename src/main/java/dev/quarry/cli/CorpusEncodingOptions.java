package dev.quarry.cli;

import dev.quarry.data.DatasetFormat;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What {@code encode} (and {@code quarry spark encode}) encodes, with which model, into which artifact. */
public final class CorpusEncodingOptions {
  @Option(names = "--model", required = true, description = "A bundled model or a model directory.")
  public String model;

  @Option(names = "--dataset", required = true, paramLabel = "DIR", description = "Dataset folder.")
  public Path dataset;

  @Option(names = "--format", paramLabel = "FORMAT", description = "Dataset layout: ${COMPLETION-CANDIDATES}.")
  public DatasetFormat format;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Vectors artifact folder.")
  public Path output;

  @Option(names = "--shard-size", defaultValue = "10000",
      description = "Rows per shard: the unit a resume restarts at, and a Spark task's work "
          + "(default ${DEFAULT-VALUE}).")
  public int shardSize;
}
