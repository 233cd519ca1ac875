package dev.quarry.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.quarry.model.Torch;

/**
 * Listwise distillation of a teacher into a dual encoder (RocketQAv2's dynamic listwise distillation; Tamber et al.
 * 2025): for each query, over its own candidates (its positive and its hard negatives), the KL divergence
 * {@code KL(softmax(t / teacherTemperature) || softmax(q . p / studentTemperature))} between the teacher's
 * distribution and the student's, averaged over queries. The teacher's scores are constants; only the student's
 * embeddings get gradients, so the loss composes with gradient caching like the contrastive one.
 */
public final class DistillationLoss {
  private final float studentTemperature;
  private final double teacherTemperature;

  public DistillationLoss(float studentTemperature, double teacherTemperature) {
    if (!(studentTemperature > 0) || !(teacherTemperature > 0) || Double.isInfinite(teacherTemperature)) {
      throw new IllegalArgumentException("temperatures must be positive; student=" + studentTemperature
          + ", teacher=" + teacherTemperature);
    }
    this.studentTemperature = studentTemperature;
    this.teacherTemperature = teacherTemperature;
  }

  /**
   * The mean KL divergence over queries.
   *
   * @param queries {@code [numQueries, dim]}
   * @param passages {@code [numPassages, dim]}
   * @param rows for each query, the pool rows of its candidates (the same count for every query)
   * @param teacher for each query, the teacher's scores of those rows, finite
   */
  public NDArray loss(NDArray queries, NDArray passages, int[][] rows, float[][] teacher) {
    int n = Math.toIntExact(queries.getShape().get(0));
    if (rows.length != n || teacher.length != n || n == 0) {
      throw new IllegalArgumentException(n + " queries but " + rows.length + " candidate lists and "
          + teacher.length + " teacher score lists");
    }
    int k = rows[0].length;
    long pool = passages.getShape().get(0);
    long[][] index = new long[n][k];
    float[][] target = new float[n][];
    double entropyTerm = 0;   // sum of p log p of the teacher distributions: a constant of the loss
    for (int i = 0; i < n; i++) {
      if (rows[i].length != k || teacher[i].length != k || k < 2) {
        throw new IllegalArgumentException("query " + i + " has " + rows[i].length + " candidate rows and "
            + teacher[i].length + " teacher scores; every query needs the same number, at least 2");
      }
      for (int j = 0; j < k; j++) {
        if (rows[i][j] < 0 || rows[i][j] >= pool) {
          throw new IllegalArgumentException("query " + i + " candidate row " + rows[i][j] + " outside the pool of "
              + pool);
        }
        if (!Float.isFinite(teacher[i][j])) {
          throw new IllegalArgumentException("query " + i + " has a non-finite teacher score " + teacher[i][j]);
        }
        index[i][j] = rows[i][j];
      }
      target[i] = softmax(teacher[i], teacherTemperature);
      for (float p : target[i]) {
        entropyTerm += p > 0 ? p * Math.log(p) : 0;
      }
    }
    NDManager m = queries.getManager();
    NDArray scores = queries.matMul(passages.transpose()).div(Torch.scalar(queries, studentTemperature));
    NDArray logStudent = scores.gather(m.create(index).toType(DataType.INT64, false), 1).logSoftmax(1);
    NDArray crossEntropy = logStudent.mul(m.create(target)).sum();
    // KL = sum p log p - sum p log q, averaged over queries
    return Torch.scalar(queries, (float) entropyTerm).sub(crossEntropy).div(Torch.scalar(queries, (float) n));
  }

  /** The softmax of {@code scores / temperature}, computed in double. */
  static float[] softmax(float[] scores, double temperature) {
    double max = Double.NEGATIVE_INFINITY;
    for (float s : scores) {
      max = Math.max(max, s / temperature);
    }
    double sum = 0;
    double[] e = new double[scores.length];
    for (int j = 0; j < e.length; j++) {
      e[j] = Math.exp(scores[j] / temperature - max);
      sum += e[j];
    }
    float[] out = new float[e.length];
    for (int j = 0; j < e.length; j++) {
      out[j] = (float) (e[j] / sum);
    }
    return out;
  }
}
