package dev.quarry.dpr;

import ai.djl.ndarray.NDArray;
import dev.quarry.data.Passage;
import dev.quarry.mine.TrainGroup;
import dev.quarry.random.TrainingSeeds;
import java.util.List;
import java.util.Map;

/**
 * Where a DPR step's negatives come from besides the mined ones its training groups carry (which every step uses):
 * {@link #MINED_ONLY}, or ANCE's refreshed index of the corpus ({@link AnceNegativeSource}). The trainer asks it, in
 * this order, each step: {@link #beforeStep}, {@link #negatives} (which go into the step's pool), and, through the
 * batch it builds, {@link #observe} with the pool and the step's embeddings.
 */
public interface NegativeSource extends AutoCloseable {
  /** The groups' mined negatives only. */
  NegativeSource MINED_ONLY = (chosen, mined, seeds, step) -> List.of();

  /** Before step {@code step} (1-based count of updates done): ANCE hands over the weights or waits for its index. */
  default void beforeStep(long step, TrainableTowers model) {
  }

  /**
   * The extra negatives of each chosen group, one list per group in order (or an empty list for none at all), never
   * one of the group's first {@code mined} negatives.
   */
  List<List<Passage>> negatives(List<TrainGroup> chosen, int mined, TrainingSeeds seeds, long step);

  /** Sees a step's embeddings with the pool they were built from; must not keep them. */
  default void observe(PassagePool pool, NDArray queries, NDArray passages) {
  }

  /** Numbers about the last step for its metrics line. */
  default Map<String, Double> stepMetrics() {
    return Map.of();
  }

  /** After the last step: writes the source's report into the run's folder. */
  default void finish(int batchSize) {
  }

  /** Stops whatever runs in the background; safe to call again. */
  @Override
  default void close() {
  }
}
