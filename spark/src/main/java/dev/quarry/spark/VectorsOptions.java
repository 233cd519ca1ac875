package dev.quarry.spark;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The corpus vectors {@code search} and {@code mine} read, and the model that made them (it encodes the queries). */
public final class VectorsOptions {
  @Option(names = "--model", required = true, description = "The model that encoded --vectors: a bundled model or a "
      + "model directory; it encodes the queries.")
  String model;

  @Option(names = "--vectors", required = true, paramLabel = "DIR",
      description = "The corpus's vectors artifact (from spark encode or encode).")
  Path vectors;
}
