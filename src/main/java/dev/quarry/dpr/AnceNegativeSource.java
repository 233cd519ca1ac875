package dev.quarry.dpr;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import dev.quarry.ance.AnceConfig;
import dev.quarry.ance.AnceNegatives;
import dev.quarry.ance.AnceReport;
import dev.quarry.ance.NegativeGradients;
import dev.quarry.ance.TableBuilder;
import dev.quarry.data.Passage;
import dev.quarry.data.PassageStore;
import dev.quarry.data.Query;
import dev.quarry.mine.TrainGroup;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.NamedTensor;
import dev.quarry.model.TextEncoder;
import dev.quarry.random.RandomPurpose;
import dev.quarry.random.SplitMix64;
import dev.quarry.random.TrainingSeeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ANCE's negatives for a DPR run whose config has an {@code ance} section: an inference copy of the encoder for the
 * background refresher, the negatives each step draws from the newest index table, and the step's index lag, wait
 * and per-kind gradient norms for its metrics line.
 */
final class AnceNegativeSource implements NegativeSource {
  private final AnceConfig config;
  private final TextEncoder inference;
  private final AnceNegatives negatives;
  private final Path out;
  private Map<NegativeGradients.Kind, Double> norms = Map.of();
  private boolean closed;

  private final double temperature;

  private AnceNegativeSource(AnceConfig config, TextEncoder inference, AnceNegatives negatives, Path out,
      double temperature) {
    this.config = config;
    this.inference = inference;
    this.negatives = negatives;
    this.out = out;
    this.temperature = temperature;
  }

  /**
   * The negative source of a run: ANCE's when the config has an {@code ance} section, else the mined negatives only.
   * {@code temperature} is the contrastive loss's, for the gradient-norm analysis.
   */
  static NegativeSource open(TrainConfig config, Path modelDir, EncoderRecipe recipe, TextEncoder.Towers towers,
      List<TrainGroup> groups, PassageStore corpus, Path out) {
    if (config.ance().isEmpty()) {
      return NegativeSource.MINED_ONLY;
    }
    AnceConfig a = config.ance().get();
    TextEncoder inference = TextEncoder.load(modelDir, recipe, towers, Device.fromName(a.device()));
    try {
      List<Query> queries = groups.stream().map(g -> new Query(g.queryId(), g.query())).toList();
      TrainableTowers copy = new TrainableTowers(inference, false);
      TableBuilder builder = new TableBuilder(inference, copy::loadWeights, corpus, queries, a,
          out.resolve("ance-vectors.scratch"));
      return new AnceNegativeSource(a, inference, new AnceNegatives(a, out, builder, corpus), out,
          config.training().temperature());
    } catch (RuntimeException e) {
      inference.close();
      throw e;
    }
  }

  /** Gets the index table ready for step {@code step}, handing over {@code model}'s weights when one is due. */
  @Override
  public void beforeStep(long step, TrainableTowers model) {
    try {
      negatives.beforeStep(step, () -> {
        Map<String, NamedTensor> weights = new LinkedHashMap<>();
        model.exportWeights().forEach(w -> weights.put(w.name(), w));
        return weights;
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the ANCE index", e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("the ANCE index could not be built: " + e.getMessage(), e);
    }
  }

  /** Each chosen group's ANCE negatives, never one of its first {@code mined} negatives. */
  @Override
  public List<List<Passage>> negatives(List<TrainGroup> chosen, int mined, TrainingSeeds seeds, long step) {
    SplitMix64 random = seeds.generator(RandomPurpose.ANCE_NEGATIVES, step);
    List<List<Passage>> out = new ArrayList<>(chosen.size());
    for (TrainGroup g : chosen) {
      Set<String> taken = new HashSet<>();
      g.negatives().subList(0, mined).forEach(n -> taken.add(n.passage().id()));
      out.add(negatives.sample(g, taken, random));
    }
    return out;
  }

  /** The per-kind gradient norms of a step's embeddings (ANCE, mined, in-batch negatives). */
  @Override
  public void observe(PassagePool pool, NDArray q, NDArray p) {
    norms = NegativeGradients.meanNorms(rows(q), rows(p), pool.positives(), pool.excluded(), pool.extra(),
        pool.mined(), temperature);
  }

  private static float[][] rows(NDArray a) {
    int n = Math.toIntExact(a.getShape().get(0));
    int d = Math.toIntExact(a.getShape().get(1));
    float[] flat = a.toFloatArray();
    float[][] out = new float[n][d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * d, out[i], 0, d);
    }
    return out;
  }

  /** The last step's index lag, wait and gradient norms. */
  @Override
  public Map<String, Double> stepMetrics() {
    Map<String, Double> m = new LinkedHashMap<>(negatives.stepMetrics());
    norms.forEach((kind, v) -> m.put(kind.metric(), v));
    return m;
  }

  /** Writes {@code OUT/ance/summary.json} and {@code report.md}. */
  @Override
  public void finish(int batchSize) {
    AnceReport.write(out, batchSize);
  }

  /** Stops the refresher and frees the inference copy; safe to call again. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      negatives.close();
      inference.close();
    }
  }
}
