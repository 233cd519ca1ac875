package dev.quarry.condenser;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.quarry.loss.InfoNceLoss;
import dev.quarry.model.Torch;
import dev.quarry.train.DropoutReplay;
import dev.quarry.train.GradientCache;
import java.util.List;

/**
 * One coCondenser pre-training step: {@code mlm_weight * (MLM(backbone) + MLM(head)) + contrastive_weight *
 * span contrastive loss}, each MLM loss the mean cross-entropy over the batch's masked pieces, and the contrastive
 * loss {@link InfoNceLoss} over every span of the batch, each span's positive the other span of its document and
 * itself left out. Gradients are added to the parameters' buffers.
 *
 * <p>As {@code dev.quarry.dpr.ContrastiveStep}: {@link #plain} builds one graph over the batch (chunk by chunk, each chunk's dropout
 * seeded by (seed, chunk)); {@link #cached} gives the same loss and gradients with gradient caching, keeping one
 * chunk's graph alive at a time. The MLM losses need no cache (they add up over chunks, each scaled by the batch's
 * masked count); only the contrastive loss couples the chunks, so the first pass runs the backbone alone.
 */
public final class CondenserStep {
  private static final int SIDE = 2;   // the dropout seeding's side index, apart from the dual encoder's 0 and 1

  private final CondenserModel model;
  private final CondenserConfig config;
  private final InfoNceLoss loss;

  public CondenserStep(CondenserModel model, CondenserConfig config, InfoNceLoss loss) {
    this.model = model;
    this.config = config;
    this.loss = loss;
  }

  /** The step's loss and its parts (each unweighted). */
  public record Losses(float total, float mlmBackbone, float mlmHead, float contrastive) {
  }

  /** The loss in one graph, the batch forwarded {@code chunkSize} spans at a time. */
  public Losses plain(NDManager parent, MaskedSpans batch, int chunkSize, boolean training, long seed) {
    long masked = batch.maskedCount();
    try (NDManager m = parent.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDList embeddings = new NDList();
      NDArray backbone = null;
      NDArray head = null;
      for (int c = 0, from = 0; from < batch.inputIds().size(); c++, from += chunkSize) {
        DropoutReplay.seed(seed, SIDE, c);
        CondenserModel.Output o = model.forward(m, chunk(batch, from, chunkSize), training);
        embeddings.add(o.embedding());
        backbone = backbone == null ? o.mlmBackboneSum() : backbone.add(o.mlmBackboneSum());
        head = head == null ? o.mlmHeadSum() : head.add(o.mlmHeadSum());
      }
      NDArray backboneMean = backbone.div(Torch.scalar(backbone, masked));
      NDArray headMean = head.div(Torch.scalar(head, masked));
      NDArray total = backboneMean.add(headMean).mul(Torch.scalar(backbone, (float) config.mlmWeight()));
      float contrastive = 0;
      if (config.contrastiveWeight() > 0) {
        NDArray e = embeddings.size() == 1 ? embeddings.get(0) : NDArrays.concat(embeddings, 0);
        NDArray c = contrastive(e);
        contrastive = c.getFloat();
        total = total.add(c.mul(Torch.scalar(c, (float) config.contrastiveWeight())));
      }
      gc.backward(total);
      return new Losses(total.getFloat(), backboneMean.getFloat(), headMean.getFloat(), contrastive);
    }
  }

  /** The same loss and gradients with gradient caching. */
  public Losses cached(NDManager parent, MaskedSpans batch, int chunkSize, boolean training, long seed) {
    if (chunkSize <= 0) {
      throw new IllegalArgumentException("chunkSize must be positive; chunkSize=" + chunkSize);
    }
    long masked = batch.maskedCount();
    int spans = batch.inputIds().size();
    int chunks = (spans + chunkSize - 1) / chunkSize;
    float[] contrastive = {0};
    double[] sums = {0, 0};   // the MLM losses' sums over the chunks: backbone, head
    GradientCache.Side side = new GradientCache.Side() {
      @Override
      public int seedId() {
        return SIDE;
      }

      @Override
      public int chunks() {
        return chunks;
      }

      @Override
      public int rows(int chunk) {
        return Math.min(spans, (chunk + 1) * chunkSize) - chunk * chunkSize;
      }

      @Override
      public NDArray embed(NDManager m, int chunk) {   // pass 1 runs the backbone alone
        return model.embed(m, chunk(batch, chunk * chunkSize, chunkSize), training);
      }

      @Override
      public GradientCache.Forward forward(NDManager m, int chunk) {   // pass 2: the chunk's share of the MLM losses
        CondenserModel.Output o = model.forward(m, chunk(batch, chunk * chunkSize, chunkSize), training);
        NDArray scale = Torch.scalar(o.mlmBackboneSum(), (float) (config.mlmWeight() / masked));
        sums[0] += o.mlmBackboneSum().getFloat();
        sums[1] += o.mlmHeadSum().getFloat();
        return new GradientCache.Forward(o.embedding(), o.mlmBackboneSum().add(o.mlmHeadSum()).mul(scale));
      }
    };
    GradientCache.Objective objective = config.contrastiveWeight() > 0 ? e -> {
      NDArray c = contrastive(e.get(0));
      contrastive[0] = c.getFloat();
      return c.mul(Torch.scalar(c, (float) config.contrastiveWeight()));
    } : null;
    GradientCache.step(parent, List.of(side), objective, seed, e -> { });
    float backboneMean = (float) (sums[0] / masked);
    float headMean = (float) (sums[1] / masked);
    return new Losses((float) (config.mlmWeight() * (backboneMean + headMean)
        + config.contrastiveWeight() * contrastive[0]), backboneMean, headMean, contrastive[0]);
  }

  /** InfoNCE over the spans: row {@code a}'s positive is its sibling {@code a ^ 1}; itself is left out. */
  private NDArray contrastive(NDArray embeddings) {
    int n = Math.toIntExact(embeddings.getShape().get(0));
    int[] positives = new int[n];
    int[][] excluded = new int[n][];
    for (int a = 0; a < n; a++) {
      positives[a] = a ^ 1;
      excluded[a] = new int[] {a};
    }
    return loss.loss(embeddings, embeddings, positives, excluded);
  }

  private static MaskedSpans chunk(MaskedSpans batch, int from, int size) {
    return batch.rows(from, Math.min(batch.inputIds().size(), from + size));
  }
}
