package dev.quarry.dpr;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.quarry.loss.DistillationLoss;
import dev.quarry.loss.InfoNceLoss;
import dev.quarry.model.BertModel;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.Torch;
import dev.quarry.train.DistillationConfig;
import dev.quarry.train.DropoutReplay;
import dev.quarry.train.GradientCache;
import java.util.ArrayList;
import java.util.List;

/**
 * One contrastive training step of a dual encoder: it computes the {@link InfoNceLoss} of a batch and adds the
 * parameter gradients to the models' gradient buffers (the caller clips, steps the optimizer and zeroes them).
 *
 * <p>Two ways, with the same result:
 * <ul>
 *   <li>{@link #plain}: one graph over the whole batch; memory grows with the batch.</li>
 *   <li>{@link #cached} (gradient caching, Gao et al. 2021): embed every chunk without recording, take the loss
 *       gradient with respect to the embeddings, then re-embed each chunk with recording and back-propagate the cached
 *       gradient. Only one chunk's graph is alive at a time, so the batch size no longer depends on memory. Dropout
 *       is replayed: each chunk seeds the engine's generator identically in both passes.</li>
 * </ul>
 * The chunks are also the unit of cross-batch negatives: with several replicas each replica's chunk is its shard of
 * the batch, every chunk's embeddings join one pool, the loss is computed once over the pool, and each replica
 * back-propagates its own rows. On one CPU the replicas run one after another, which is exactly {@link #cached}; a
 * multi-device run only changes where each chunk runs.
 */
public final class ContrastiveStep {
  private final BertModel queryModel;
  private final BertModel passageModel;
  private final EncoderRecipe recipe;
  private final InfoNceLoss loss;
  private final DistillationConfig distillation;
  private final DistillationLoss distillationLoss;

  /** {@code queryModel} and {@code passageModel} may be the same object (shared towers). */
  public ContrastiveStep(BertModel queryModel, BertModel passageModel, EncoderRecipe recipe, InfoNceLoss loss) {
    this(queryModel, passageModel, recipe, loss, DistillationConfig.OFF);
  }

  /**
   * A step whose loss adds (or, with {@code contrastive} false, is) the listwise distillation of the batch's
   * {@link Distillation} targets, at the contrastive loss's temperature for the student.
   */
  public ContrastiveStep(BertModel queryModel, BertModel passageModel, EncoderRecipe recipe, InfoNceLoss loss,
      DistillationConfig distillation) {
    this.queryModel = queryModel;
    this.passageModel = passageModel;
    this.recipe = recipe;
    this.loss = loss;
    this.distillation = distillation;
    this.distillationLoss = distillation.loss(loss.temperature());
  }

  /**
   * The teacher's targets of a batch: for each query, the pool rows of its candidates (its positive and its mined
   * negatives) and the teacher's scores of them.
   */
  public record Distillation(int[][] rows, float[][] teacher) {
    /** A batch without teacher scores. */
    public static final Distillation NONE = new Distillation(new int[0][], new float[0][]);

    public Distillation {
      if (rows.length != teacher.length) {
        throw new IllegalArgumentException(rows.length + " candidate lists but " + teacher.length
            + " teacher score lists");
      }
    }
  }

  /** The batch's loss: InfoNCE, plus or instead of the weighted distillation loss when that is on. */
  private NDArray objective(NDArray q, NDArray p, Batch batch) {
    if (!distillation.enabled()) {
      return loss.loss(q, p, batch.positives(), batch.excluded());
    }
    if (batch.distillation().rows().length != batch.positives().length) {
      throw new IllegalArgumentException("distillation is on but the batch has teacher scores for "
          + batch.distillation().rows().length + " of its " + batch.positives().length + " queries");
    }
    NDArray kl = distillationLoss.loss(q, p, batch.distillation().rows(), batch.distillation().teacher())
        .mul(Torch.scalar(q, (float) distillation.weight()));
    return distillation.contrastive() ? loss.loss(q, p, batch.positives(), batch.excluded()).add(kl) : kl;
  }

  /**
   * Sees a batch's query and passage embeddings before the loss is taken (for analyses such as ANCE's gradient norms,
   * which also need the batch's pool: the batch carries its observer); must not keep them.
   */
  @FunctionalInterface
  public interface EmbeddingObserver {
    EmbeddingObserver NONE = (queries, passages) -> { };

    void observe(NDArray queries, NDArray passages);
  }

  /**
   * A batch: token ids of the queries and of the passage pool, the row of each query's positive in the pool, per
   * query the rows left out of its softmax (see {@link InfoNceLoss#loss(NDArray, NDArray, int[], int[][])}), the
   * teacher's targets, and who sees its embeddings.
   */
  public record Batch(List<long[]> queries, List<long[]> passages, int[] positives, int[][] excluded,
      Distillation distillation, EmbeddingObserver observer) {
    /** A batch that excludes nothing. */
    public Batch(List<long[]> queries, List<long[]> passages, int[] positives) {
      this(queries, passages, positives, new int[positives.length][0]);
    }

    /** A batch without teacher scores. */
    public Batch(List<long[]> queries, List<long[]> passages, int[] positives, int[][] excluded) {
      this(queries, passages, positives, excluded, Distillation.NONE);
    }

    /** A batch nobody observes. */
    public Batch(List<long[]> queries, List<long[]> passages, int[] positives, int[][] excluded,
        Distillation distillation) {
      this(queries, passages, positives, excluded, distillation, EmbeddingObserver.NONE);
    }

    public Batch {
      if (positives.length != queries.size() || excluded.length != queries.size()) {
        throw new IllegalArgumentException(queries.size() + " queries but " + positives.length + " positives and "
            + excluded.length + " exclusion lists");
      }
      for (int p : positives) {
        if (p < 0 || p >= passages.size()) {
          throw new IllegalArgumentException("positive row " + p + " outside the pool of " + passages.size());
        }
      }
    }
  }

  /** Loss of the batch in one graph; gradients are added to the parameters' buffers. */
  public float plain(NDManager parent, Batch batch, boolean training, long seed) {
    try (NDManager m = parent.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      DropoutReplay.seed(seed, 0, 0);
      NDArray q = embed(queryModel, m, batch.queries(), training);
      DropoutReplay.seed(seed, 1, 0);
      NDArray p = embed(passageModel, m, batch.passages(), training);
      batch.observer().observe(q, p);
      NDArray value = objective(q, p, batch);
      gc.backward(value);
      return value.getFloat();
    }
  }

  /**
   * The same loss and gradients with gradient caching, {@code chunkSize} texts per forward pass. Each chunk is seeded
   * by (seed, side, chunk index) in both passes; {@link #plainChunked} uses the same seeds, for tests.
   */
  public float cached(NDManager parent, Batch batch, int chunkSize, boolean training, long seed) {
    if (chunkSize <= 0) {
      throw new IllegalArgumentException("chunkSize must be positive; chunkSize=" + chunkSize);
    }
    return GradientCache.step(parent, sides(batch, chunkSize, training),
        e -> objective(e.get(0), e.get(1), batch), seed, e -> batch.observer().observe(e.get(0), e.get(1)));
  }

  /** The batch's two sides for the gradient cache: queries (dropout side 0) and the passage pool (side 1). */
  private List<GradientCache.Side> sides(Batch batch, int chunkSize, boolean training) {
    return List.of(new TowerSide(queryModel, 0, chunks(batch.queries(), chunkSize), training),
        new TowerSide(passageModel, 1, chunks(batch.passages(), chunkSize), training));
  }

  /** One tower's texts, chunked. */
  private final class TowerSide implements GradientCache.Side {
    private final BertModel model;
    private final int seedId;
    private final List<List<long[]>> chunks;
    private final boolean training;

    TowerSide(BertModel model, int seedId, List<List<long[]>> chunks, boolean training) {
      this.model = model;
      this.seedId = seedId;
      this.chunks = chunks;
      this.training = training;
    }

    @Override
    public int seedId() {
      return seedId;
    }

    @Override
    public int chunks() {
      return chunks.size();
    }

    @Override
    public int rows(int chunk) {
      return chunks.get(chunk).size();
    }

    @Override
    public NDArray embed(NDManager m, int chunk) {
      return ContrastiveStep.this.embed(model, m, chunks.get(chunk), training);
    }
  }

  /**
   * The plain loss, but with each side embedded chunk by chunk under the seeds {@link #cached} uses: with dropout on,
   * this is the reference {@code cached} must equal.
   */
  public float plainChunked(NDManager parent, Batch batch, int chunkSize, boolean training, long seed) {
    try (NDManager m = parent.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      List<GradientCache.Side> sides = sides(batch, chunkSize, training);
      NDArray q = GradientCache.embedAll(m, sides.get(0), seed);
      NDArray p = GradientCache.embedAll(m, sides.get(1), seed);
      NDArray value = objective(q, p, batch);
      gc.backward(value);
      return value.getFloat();
    }
  }

  /** Pooled (and, per the recipe, normalized) embeddings of padded token rows. */
  public NDArray embed(BertModel model, NDManager m, List<long[]> rows, boolean training) {
    int length = rows.stream().mapToInt(a -> a.length).max().orElse(0);
    long[][] ids = new long[rows.size()][length];
    long[][] mask = new long[rows.size()][length];
    for (int b = 0; b < rows.size(); b++) {
      System.arraycopy(rows.get(b), 0, ids[b], 0, rows.get(b).length);
      java.util.Arrays.fill(mask[b], 0, rows.get(b).length, 1L);
    }
    NDArray maskNd = m.create(mask);
    NDArray hidden = model.forward(m.create(ids), maskNd, m.zeros(maskNd.getShape(), maskNd.getDataType()), training);
    return BertModel.pool(hidden, maskNd, recipe.pooling(), recipe.normalize());
  }

  private static List<List<long[]>> chunks(List<long[]> rows, int size) {
    List<List<long[]>> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i += size) {
      out.add(rows.subList(i, Math.min(rows.size(), i + size)));
    }
    return out;
  }

}
