package dev.quarry.ance;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * ANCE's analysis (Xiong et al. 2021, section 3): how much gradient each kind of negative contributes. A negative
 * whose score is far below the positive's has a softmax probability near 0, so its gradient vanishes; ANCE argues
 * that negatives from a global ANN index of the current model have larger gradient norms than BM25 or in-batch ones.
 *
 * <p>The measure, computed from a step's embeddings: for query {@code i} with loss {@code -log p(i, pos)} over the
 * softmax of scores {@code s(i, j) = q_i . d_j / t}, negative {@code j} enters the loss only through {@code s(i, j)},
 * and {@code d loss / d s(i, j) = p(i, j)}. Its contribution to the gradient with respect to the two embeddings it
 * touches is {@code p(i, j) / t * (d_j, q_i)}, of norm {@code p(i, j) / t * sqrt(|q_i|^2 + |d_j|^2)}. That is the
 * exact per-negative gradient at the encoder's output; the encoder's Jacobian, common to all kinds, scales it on to
 * the parameters. The mean over a step's negatives of each kind is reported.
 */
public final class NegativeGradients {
  /** The kinds of negatives a query sees in a step. */
  public enum Kind {
    /** Drawn from the refreshed ANN index ({@link AnceConfig}). */
    ANCE,
    /** From the training groups file (BM25's in the SciFact recipe). */
    MINED,
    /** Every other passage of the pool: other queries' positives and negatives. */
    IN_BATCH;

    /** The name in metrics and reports ({@code grad_norm_ance}, ...). */
    public String metric() {
      return "grad_norm_" + name().toLowerCase(Locale.ROOT);
    }
  }

  private NegativeGradients() {
  }

  /**
   * The mean per-negative gradient norm of each kind in one step; a kind with no negative in the step is absent.
   *
   * @param queries query embeddings, one row per query
   * @param passages the pool's passage embeddings
   * @param positives each query's positive row
   * @param excluded rows left out of each query's softmax
   * @param ance each query's ANCE negative rows
   * @param mined each query's mined negative rows
   * @param temperature the loss temperature
   */
  public static Map<Kind, Double> meanNorms(float[][] queries, float[][] passages, int[] positives,
      int[][] excluded, int[][] ance, int[][] mined, double temperature) {
    double[] sum = new double[Kind.values().length];
    long[] count = new long[Kind.values().length];
    double[] passageNorm2 = new double[passages.length];
    for (int j = 0; j < passages.length; j++) {
      passageNorm2[j] = dot(passages[j], passages[j]);
    }
    for (int i = 0; i < queries.length; i++) {
      Kind[] kind = new Kind[passages.length];
      java.util.Arrays.fill(kind, Kind.IN_BATCH);
      for (int r : mined[i]) {
        kind[r] = Kind.MINED;
      }
      for (int r : ance[i]) {
        kind[r] = Kind.ANCE;
      }
      boolean[] out = new boolean[passages.length];
      for (int r : excluded[i]) {
        out[r] = true;
      }
      double[] scores = new double[passages.length];
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < passages.length; j++) {
        if (!out[j]) {
          scores[j] = dot(queries[i], passages[j]) / temperature;
          max = Math.max(max, scores[j]);
        }
      }
      double z = 0;
      for (int j = 0; j < passages.length; j++) {
        if (!out[j]) {
          z += Math.exp(scores[j] - max);
        }
      }
      double queryNorm2 = dot(queries[i], queries[i]);
      for (int j = 0; j < passages.length; j++) {
        if (out[j] || j == positives[i]) {
          continue;
        }
        double p = Math.exp(scores[j] - max) / z;
        int k = kind[j].ordinal();
        sum[k] += p / temperature * Math.sqrt(queryNorm2 + passageNorm2[j]);
        count[k]++;
      }
    }
    Map<Kind, Double> means = new EnumMap<>(Kind.class);
    for (Kind k : Kind.values()) {
      if (count[k.ordinal()] > 0) {
        means.put(k, sum[k.ordinal()] / count[k.ordinal()]);
      }
    }
    return means;
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int d = 0; d < a.length; d++) {
      s += (double) a[d] * b[d];
    }
    return s;
  }
}
