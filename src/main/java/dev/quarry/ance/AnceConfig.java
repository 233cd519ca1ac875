package dev.quarry.ance;

import dev.quarry.config.ConfigDefault;
import dev.quarry.index.IndexType;

/**
 * The {@code ance} section of a training config: hard negatives drawn from a vector index of the whole corpus that a
 * background job rebuilds with the latest weights while training goes on (ANCE, Xiong et al. 2021).
 *
 * <p>Schedule. Before step {@code s} (0-based), when {@code s} is a positive multiple of {@code refreshEvery}, the
 * trainer hands the current weights to the refresher, which re-encodes the corpus and the training queries, builds a
 * fresh index and publishes every training query's top {@code depth}. The trainer keeps training on the newest
 * published table. Before step {@code s} it waits until the refresh requested at step {@code s - maxGap} or later is
 * published, so an index never lags the refresh schedule by more than {@code maxGap} steps; {@code maxGap = 0} is
 * the synchronous variant (each refresh finishes before the step that requested it), which makes a run exactly
 * reproducible.
 *
 * @param refreshEvery steps between refresh requests (ANCE's m), at least 1
 * @param maxGap how many steps the trainer may run ahead of the newest requested refresh before it waits, 0 or more
 * @param depth hits retrieved per training query, at least {@code rankTo}
 * @param rankFrom the best (1-based) rank a negative is sampled from
 * @param rankTo the worst rank a negative is sampled from; ranks are counted in the retrieved list, positives
 *     included, and positives are never sampled
 * @param negativesPerQuery ANCE negatives per query per step, added to the {@code data.negatives_per_query} mined
 *     negatives of the training groups file
 * @param index the index the refresher builds (exact or HNSW)
 * @param device the device the refresher encodes on, in DJL's spelling ({@code cpu}, {@code gpu0}, ...)
 * @param encodeBatchSize texts per forward pass while re-encoding
 */
public record AnceConfig(int refreshEvery, int maxGap, int depth, @ConfigDefault("1") int rankFrom, int rankTo,
    @ConfigDefault("1") int negativesPerQuery, @ConfigDefault("flat") IndexType index,
    @ConfigDefault("cpu") String device, @ConfigDefault("64") int encodeBatchSize) {

  public AnceConfig {
    if (refreshEvery < 1) {
      throw new IllegalArgumentException("ance.refresh_every must be at least 1; ance.refresh_every=" + refreshEvery);
    }
    if (maxGap < 0) {
      throw new IllegalArgumentException("ance.max_gap must not be negative; ance.max_gap=" + maxGap);
    }
    if (rankFrom < 1 || rankTo < rankFrom) {
      throw new IllegalArgumentException("ance.rank_from and ance.rank_to must satisfy 1 <= rank_from <= rank_to; "
          + "ance.rank_from=" + rankFrom + ", ance.rank_to=" + rankTo);
    }
    if (depth < rankTo) {
      throw new IllegalArgumentException("ance.depth must be at least ance.rank_to (" + rankTo + "); ance.depth="
          + depth);
    }
    if (negativesPerQuery < 1) {
      throw new IllegalArgumentException("ance.negatives_per_query must be at least 1; ance.negatives_per_query="
          + negativesPerQuery);
    }
    if (index == null) {
      throw new IllegalArgumentException("ance.index must be flat or hnsw");
    }
    if (device == null || device.isBlank()) {
      throw new IllegalArgumentException("ance.device must name a device (cpu, gpu0, ...)");
    }
    if (encodeBatchSize < 1) {
      throw new IllegalArgumentException("ance.encode_batch_size must be at least 1; ance.encode_batch_size="
          + encodeBatchSize);
    }
  }

  /** The least {@code depth} when the file gives none: {@code max(DEFAULT_DEPTH, rank_to)}. */
  public static final int DEFAULT_DEPTH = 200;

  /**
   * The oldest refresh request (a step) whose table must be published before step {@code step} runs, or -1 when
   * none must: the newest multiple of {@code refreshEvery} at or below {@code step - maxGap}.
   */
  public long requiredTableStep(long step) {
    long horizon = step - maxGap;
    return horizon < 0 ? -1 : horizon / refreshEvery * refreshEvery;
  }

  /** Whether the trainer requests a refresh before step {@code step}. */
  public boolean refreshesBefore(long step) {
    return step > 0 && step % refreshEvery == 0;
  }
}
