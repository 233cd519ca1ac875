package dev.quarry.cli;

import dev.quarry.index.HnswConfig;
import dev.quarry.index.IndexType;
import picocli.CommandLine.Option;

/** How corpus vectors are searched: {@code --index flat|hnsw} and the HNSW graph's settings (a picocli mixin). */
final class VectorIndexOptions {
  @Option(names = "--index", defaultValue = "flat",
      description = "${COMPLETION-CANDIDATES}: exact search or Lucene's HNSW graph (default ${DEFAULT-VALUE}).")
  IndexType type;

  @Option(names = "--hnsw-m", defaultValue = "16", description = "HNSW max connections (default ${DEFAULT-VALUE}).")
  int hnswM;

  @Option(names = "--hnsw-beam", defaultValue = "100", description = "HNSW beam width (default ${DEFAULT-VALUE}).")
  int hnswBeam;

  @Option(names = "--ef-search", defaultValue = "100", description = "HNSW candidates per query (default ${DEFAULT-VALUE}).")
  int efSearch;

  @Option(names = "--int8", description = "HNSW with Lucene's int8 scalar quantization.")
  boolean int8;

  HnswConfig hnsw() {
    return new HnswConfig(hnswM, hnswBeam, efSearch, int8);
  }
}
