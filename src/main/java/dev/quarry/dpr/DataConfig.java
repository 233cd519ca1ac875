package dev.quarry.dpr;

import dev.quarry.config.ConfigDefault;
import dev.quarry.train.DevSplitConfig;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * The {@code data} section of a {@link TrainConfig}.
 *
 * @param train the training groups file (a query with its positives and negatives per line); a relative path is
 *     relative to the working directory, as every path on Quarry's command line is
 * @param dev the dev split carved from the training queries
 * @param negativesPerQuery hard negatives drawn per query for each step; 0 trains on in-batch negatives alone
 * @param maxTrainQueries when present, train on a seeded sample of this many of the training queries left after the
 *     dev split (the dev seed; the sample never includes a dev query); absent trains on all of them
 */
public record DataConfig(Path train, DevSplitConfig dev, @ConfigDefault("1") int negativesPerQuery,
    OptionalInt maxTrainQueries) {
  public DataConfig(Path train, DevSplitConfig dev, int negativesPerQuery) {
    this(train, dev, negativesPerQuery, OptionalInt.empty());
  }


  public DataConfig {
    if (train == null || train.toString().isEmpty()) {
      throw new IllegalArgumentException("data.train must name the training groups file; data.train=" + train);
    }
    if (dev == null) {
      throw new IllegalArgumentException("data.dev must not be null");
    }
    if (negativesPerQuery < 0) {
      throw new IllegalArgumentException("data.negatives_per_query must not be negative; data.negatives_per_query="
          + negativesPerQuery);
    }
    if (maxTrainQueries == null) {
      throw new IllegalArgumentException("data.max_train_queries must be an OptionalInt, not null");
    }
    if (maxTrainQueries.isPresent() && maxTrainQueries.getAsInt() < 1) {
      throw new IllegalArgumentException("data.max_train_queries must be at least 1; data.max_train_queries="
          + maxTrainQueries.getAsInt());
    }
  }
}
