package dev.quarry.ance;

import dev.quarry.data.Passage;
import dev.quarry.data.PassageStore;
import dev.quarry.mine.TrainGroup;
import dev.quarry.model.NamedTensor;
import dev.quarry.random.SplitMix64;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The trainer's side of ANCE: before each step it makes sure a table of the corpus-wide index is there (the newest
 * one a killed run left, else one built now from the starting weights), hands the weights to the
 * {@link IndexRefresher} on schedule, waits when the index would lag more than {@link AnceConfig#maxGap()} allows,
 * and samples each query's negatives from the newest table.
 *
 * <p>Files, under {@code OUT/ance}: {@code tables/step-NNNNNNNN.jsonl} (each published table) and
 * {@link RefreshLog#FILE}. Only the trainer's thread calls this class.
 */
public final class AnceNegatives implements AutoCloseable {
  /** The folder under a training run's output. */
  public static final String FOLDER = "ance";

  private final AnceConfig config;
  private final Path tables;
  private final IndexRefresher.Builder builder;
  private final PassageStore passages;
  private final RefreshLog log;
  private IndexRefresher refresher;
  private NegativeTable current;
  private volatile long trainerStep;
  private double lastWaitSeconds;

  /**
   * @param out the training run's output folder
   * @param builder makes a table from weights (a {@link TableBuilder} in training)
   * @param corpus every passage a table may name, read from disk by id
   */
  public AnceNegatives(AnceConfig config, Path out, IndexRefresher.Builder builder, PassageStore corpus) {
    this.config = config;
    Path folder = out.resolve(FOLDER);
    this.tables = folder.resolve("tables");
    this.builder = builder;
    this.passages = corpus;
    this.log = RefreshLog.open(folder);
  }

  /**
   * Prepares step {@code step} (0-based: the number of steps done) and returns the table it trains on.
   *
   * @param weights a copy of the trainer's current weights; called only when a refresh is requested
   */
  public NegativeTable beforeStep(long step, Supplier<Map<String, NamedTensor>> weights) throws Exception {
    trainerStep = step;
    long start = System.nanoTime();
    if (refresher == null) {
      NegativeTable initial = NegativeTable.newestAtOrBefore(tables, step).orElse(null);
      if (initial == null) {
        IndexRefresher.Built built = builder.build(step, weights.get(), () -> { });
        publish(RefreshLog.Mode.SYNCHRONOUS, step, built);
        initial = built.table();
      }
      refresher = new IndexRefresher(builder, initial, built -> publish(RefreshLog.Mode.BACKGROUND,
          built.table().step(), built));
    }
    long required = config.requiredTableStep(step);
    if (config.refreshesBefore(step)
        || (refresher.published().step() < required && refresher.newestRequested().orElse(-1L) < required)) {
      // the second case: a resumed run whose predecessor's request died with it
      refresher.request(step, weights);
    }
    current = refresher.awaitStep(required);
    lastWaitSeconds = (System.nanoTime() - start) / 1e9;
    return current;
  }

  private void publish(RefreshLog.Mode mode, long weightsStep, IndexRefresher.Built built) {
    built.table().write(tables);
    log.append(mode, weightsStep, trainerStep, built);
  }

  /**
   * {@code n} negatives for a group, sampled without replacement from ranks {@code rank_from .. rank_to} of its list
   * in the current table, never one of its positives or of {@code taken} (passage ids it already has in the step).
   * Fewer when the range holds fewer candidates.
   */
  public List<Passage> sample(TrainGroup group, Set<String> taken, SplitMix64 random) {
    Set<String> skip = new HashSet<>(taken);
    group.positives().forEach(p -> skip.add(p.id()));
    List<String> candidates = new ArrayList<>();
    for (String id : current.ranks(group.queryId(), config.rankFrom(), config.rankTo())) {
      if (!skip.contains(id)) {
        candidates.add(id);
      }
    }
    int n = Math.min(config.negativesPerQuery(), candidates.size());
    List<Passage> out = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      int pick = k + random.nextInt(candidates.size() - k);
      String id = candidates.get(pick);
      candidates.set(pick, candidates.get(k));
      candidates.set(k, id);
      out.add(passages.find(id).orElseThrow(() -> new IllegalStateException("the index table of step "
          + current.step() + " names passage " + id + ", which the corpus lacks")));
    }
    return out;
  }

  /** The last prepared step's index numbers: the table's step, its lag behind the trainer, the time waited. */
  public Map<String, Double> stepMetrics() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("ance_index_step", (double) current.step());
    m.put("ance_gap", (double) (trainerStep - current.step()));
    m.put("ance_wait_seconds", lastWaitSeconds);
    return m;
  }

  /** Stops the refresher; a refresh in progress is abandoned. */
  @Override
  public void close() {
    if (refresher != null) {
      refresher.close();
    }
  }
}
