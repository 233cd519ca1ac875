package dev.quarry.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.quarry.model.Torch;

/**
 * Listwise distillation of a teacher into a cross-encoder: over each group of pairs (one query's candidates), the KL
 * divergence {@code KL(softmax(t / teacherTemperature) || softmax(logits))} between the teacher's distribution and
 * the cross-encoder's, averaged over groups. The teacher's scores are constants. The dual encoder's counterpart,
 * over inner products, is {@link DistillationLoss}.
 */
public final class GroupDistillationLoss {
  private final double teacherTemperature;

  public GroupDistillationLoss(double teacherTemperature) {
    if (!(teacherTemperature > 0) || Double.isInfinite(teacherTemperature)) {
      throw new IllegalArgumentException("the teacher temperature must be positive; found " + teacherTemperature);
    }
    this.teacherTemperature = teacherTemperature;
  }

  /**
   * The mean KL divergence over groups.
   *
   * @param logits {@code [groups * groupSize]}, group after group
   * @param teacher for each group, the teacher's scores of its pairs in the same order, finite
   */
  public NDArray loss(NDArray logits, float[][] teacher) {
    long pairs = logits.getShape().get(0);
    int groups = teacher.length;
    if (logits.getShape().dimension() != 1 || groups == 0 || pairs % groups != 0 || pairs / groups < 2) {
      throw new IllegalArgumentException("logits of shape " + logits.getShape() + " are not " + groups
          + " groups of at least 2 pairs");
    }
    int size = Math.toIntExact(pairs / groups);
    float[] target = new float[Math.toIntExact(pairs)];
    double entropyTerm = 0;   // sum of p log p of the teacher distributions: a constant of the loss
    for (int g = 0; g < groups; g++) {
      if (teacher[g].length != size) {
        throw new IllegalArgumentException("group " + g + " has " + teacher[g].length + " teacher scores for "
            + size + " pairs");
      }
      for (float t : teacher[g]) {
        if (!Float.isFinite(t)) {
          throw new IllegalArgumentException("group " + g + " has a non-finite teacher score " + t);
        }
      }
      float[] p = DistillationLoss.softmax(teacher[g], teacherTemperature);
      System.arraycopy(p, 0, target, g * size, size);
      for (float q : p) {
        entropyTerm += q > 0 ? q * Math.log(q) : 0;
      }
    }
    NDManager m = logits.getManager();
    NDArray logStudent = logits.reshape(groups, size).logSoftmax(1);
    NDArray crossEntropy = logStudent.mul(m.create(target).reshape(groups, size)).sum();
    return Torch.scalar(logits, (float) entropyTerm).sub(crossEntropy).div(Torch.scalar(logits, (float) groups));
  }
}
