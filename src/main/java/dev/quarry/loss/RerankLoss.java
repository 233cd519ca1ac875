package dev.quarry.loss;

import ai.djl.ndarray.NDArray;
import dev.quarry.model.Torch;

/**
 * The losses a cross-encoder trains with, on logits of groups laid out group after group: each group is one
 * positive (its first pair) and {@code n} negatives.
 */
public enum RerankLoss {
  /**
   * Sigmoid cross-entropy of every pair against its label (1 for the positive, 0 for each negative), averaged over
   * pairs: {@code mean(softplus(x) - y x)}, the numerically stable form of binary cross-entropy with logits.
   */
  POINTWISE {
    @Override
    public NDArray loss(NDArray logits, int groupSize) {
      long pairs = checkLayout(logits, groupSize);
      float[] labels = new float[Math.toIntExact(pairs)];
      for (int i = 0; i < labels.length; i += groupSize) {
        labels[i] = 1;
      }
      NDArray y = logits.getManager().create(labels);
      // softplus(x) = max(x, 0) + log(1 + exp(-|x|))
      NDArray softplus = logits.maximum(Torch.scalar(logits, 0f))
          .add(logits.abs().neg().exp().add(Torch.scalar(logits, 1f)).log());
      return softplus.sub(logits.mul(y)).mean();
    }
  },
  /** Softmax cross-entropy of the positive over its group (one positive, {@code n} negatives), averaged over groups. */
  LISTWISE {
    @Override
    public NDArray loss(NDArray logits, int groupSize) {
      long pairs = checkLayout(logits, groupSize);
      NDArray grouped = logits.reshape(pairs / groupSize, groupSize);
      return grouped.logSoftmax(1).get(":, 0").mean().neg();
    }
  };

  /**
   * The mean loss.
   *
   * @param logits {@code [groups * groupSize]} logits, each group's positive first
   * @param groupSize one positive plus the negatives of each group
   */
  public abstract NDArray loss(NDArray logits, int groupSize);

  private static long checkLayout(NDArray logits, int groupSize) {
    if (logits.getShape().dimension() != 1 || groupSize < 2 || logits.getShape().get(0) % groupSize != 0) {
      throw new IllegalArgumentException("logits of shape " + logits.getShape() + " are not groups of " + groupSize
          + " pairs (one positive and at least one negative each)");
    }
    return logits.getShape().get(0);
  }
}
