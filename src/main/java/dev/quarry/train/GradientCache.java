package dev.quarry.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import dev.quarry.model.Torch;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Gradient caching (Gao et al. 2021, "Scaling Deep Contrastive Learning Batch Size under Memory Limited Setup"), the
 * one implementation every step uses: a loss that couples all rows of a large batch (a contrastive loss, a
 * distillation loss) is computed with one chunk's graph alive at a time, and gives the gradients of the loss in one
 * graph.
 * <ol>
 *   <li>Pass 1: each side's chunks are embedded without a graph and concatenated.</li>
 *   <li>The objective runs on those embeddings with gradients on; its gradient with respect to each embedding row is
 *       kept (the cache).</li>
 *   <li>Pass 2: each chunk is embedded again with a graph, and {@code sum(embedding * cached gradient)} (plus the
 *       chunk's own loss term, such as Condenser's MLM, when it has one) is back-propagated into the parameters.</li>
 * </ol>
 * Dropout in both passes is seeded by {@link DropoutReplay} from (step seed, side id, chunk), so pass 2 sees the masks
 * pass 1 saw, and a step that embeds the same chunks in one graph ({@code plainChunked} in the steps) is the
 * reference it equals.
 */
public final class GradientCache {
  private GradientCache() {
  }

  /** One side of a step (queries, passages, spans): its chunks and how to embed them. */
  public interface Side {
    /** The side's id in the dropout seeding ({@link DropoutReplay}); distinct per side of a step. */
    int seedId();

    /** How many chunks the side has. */
    int chunks();

    /** The rows of chunk {@code chunk}. */
    int rows(int chunk);

    /** Pass 1: the chunk's embeddings (called without a graph). */
    NDArray embed(NDManager m, int chunk);

    /**
     * Pass 2: the chunk's embeddings with a graph, and the chunk's own loss term to back-propagate with them (null when
     * it has none). By default, {@link #embed} and no term.
     */
    default Forward forward(NDManager m, int chunk) {
      return new Forward(embed(m, chunk), null);
    }
  }

  /** A chunk's embeddings and its own loss term (null for none), from {@link Side#forward}. */
  public record Forward(NDArray embedding, NDArray ownLoss) {
  }

  /** The loss that couples the rows: from the embeddings of every side, in the order the sides were given. */
  @FunctionalInterface
  public interface Objective {
    NDArray loss(List<NDArray> embeddings);
  }

  /**
   * Runs a gradient-cached step and returns the objective's value (0 when {@code objective} is null: then only the
   * chunks' own terms are back-propagated, and pass 1 is skipped). Gradients are added to the parameters' buffers.
   *
   * @param observer sees pass 1's embeddings before the objective runs (for analyses); must not keep them
   */
  public static float step(NDManager parent, List<? extends Side> sides, Objective objective, long seed,
      Consumer<List<NDArray>> observer) {
    try (NDManager m = parent.newSubManager()) {
      List<NDArray> gradients = new ArrayList<>();
      float value = 0;
      if (objective != null) {
        List<NDArray> embeddings = new ArrayList<>();
        for (Side side : sides) {
          embeddings.add(Torch.withoutGrad(() -> embedAll(m, side, seed)));
        }
        observer.accept(embeddings);
        embeddings.forEach(e -> e.setRequiresGradient(true));
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray l = objective.loss(embeddings);
          gc.backward(l);
          value = l.getFloat();
        }
        for (NDArray e : embeddings) {
          gradients.add(e.getGradient().duplicate());
        }
      }
      for (int s = 0; s < sides.size(); s++) {
        backpropagate(m, sides.get(s), objective == null ? null : gradients.get(s), seed);
      }
      return value;
    }
  }

  /** A side's chunks embedded one after another under their dropout seeds, concatenated. */
  public static NDArray embedAll(NDManager m, Side side, long seed) {
    NDList parts = new NDList();
    for (int c = 0; c < side.chunks(); c++) {
      DropoutReplay.seed(seed, side.seedId(), c);
      parts.add(side.embed(m, c));
    }
    return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
  }

  private static void backpropagate(NDManager m, Side side, NDArray gradient, long seed) {
    int row = 0;
    for (int c = 0; c < side.chunks(); c++) {
      int rows = side.rows(c);
      try (NDManager cm = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        DropoutReplay.seed(seed, side.seedId(), c);
        Forward f = side.forward(cm, c);
        NDArray loss = f.ownLoss();
        if (gradient != null) {
          NDArray cached = f.embedding().mul(gradient.get(new NDIndex(row + ":" + (row + rows)))).sum();
          loss = loss == null ? cached : loss.add(cached);
        }
        if (loss != null) {
          gc.backward(loss);
        }
      }
      row += rows;
    }
  }
}
