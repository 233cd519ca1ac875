package dev.quarry.train;

import dev.quarry.data.Dataset;
import dev.quarry.data.Query;
import dev.quarry.util.Progress;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Where a trainer runs, whatever it trains: its config file (relative paths in the config resolve against it), the
 * dataset and the split its training queries come from, its output folder, the cache root (bundled models, corpus
 * vectors) and where it reports progress.
 */
public record TrainingJob(Path configFile, Dataset dataset, String split, Path out, Path cacheRoot,
    Progress progress) {

  /** The ids of the split's queries (training groups of other queries are an error). */
  public Set<String> queryIds() {
    return new HashSet<>(dataset.queries(split).stream().map(Query::id).toList());
  }
}
