package dev.quarry.cli;

import dev.quarry.data.Dataset;
import dev.quarry.data.DatasetFormat;
import dev.quarry.data.Datasets;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --dataset DIR --split NAME [--format F]}, shared by the commands that read a dataset. */
public final class DatasetOptions {
  @Option(names = "--dataset", required = true, paramLabel = "DIR",
      description = "Dataset folder (BEIR, MS MARCO, DPR or SQuAD layout, recognised by its files).")
  public Path dataset;

  @Option(names = "--split", required = true, paramLabel = "NAME", description = "Split to use, e.g. test.")
  public String split;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "Dataset layout, when it should not be recognised: ${COMPLETION-CANDIDATES}.")
  public DatasetFormat format;

  /** The dataset, checked to hold work for {@code --split} ({@link Dataset#requireWork}) before anything runs. */
  public Dataset open() {
    Dataset d = Datasets.open(dataset, format);
    d.requireWork(split);
    return d;
  }
}
