package dev.quarry.ance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.quarry.loss.InfoNceLoss;
import dev.quarry.model.Torch;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The analytic per-negative norms against libtorch's autograd through {@link InfoNceLoss}. */
class NegativeGradientsTest {
  @Test
  void eachNegativesNormIsItsAutogradGradientAtTheEmbeddings() {
    Torch.configureThreads();
    int d = 8;
    float temperature = 0.05f;
    Random random = new Random(7);
    float[] q = new float[d];
    float[][] p = new float[5][d];
    for (int k = 0; k < d; k++) {
      q[k] = (float) random.nextGaussian() * 0.3f;
      for (float[] row : p) {
        row[k] = (float) random.nextGaussian() * 0.3f;
      }
    }
    // rows: 0 positive, 1 ANCE, 2 mined, 3 in-batch, 4 excluded (another known positive)
    int[] positives = {0};
    int[][] excluded = {{4}};
    Map<NegativeGradients.Kind, Double> norms = NegativeGradients.meanNorms(new float[][] {q}, p, positives,
        excluded, new int[][] {{1}}, new int[][] {{2}}, temperature);

    try (NDManager m = NDManager.newBaseManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray qa = m.create(new float[][] {q});
      NDArray pa = m.create(p);
      pa.setRequiresGradient(true);
      NDArray loss = new InfoNceLoss(temperature).loss(qa, pa, positives, excluded);
      gc.backward(loss);
      float[] grad = pa.getGradient().toFloatArray();
      double qNorm = Math.sqrt(dot(q, q));
      double[] expected = new double[5];
      for (int j = 1; j < 5; j++) {
        // for one query, dLoss/dd_j = p(j) q / t: recover p(j) from autograd
        double g = 0;
        for (int k = 0; k < d; k++) {
          g += grad[j * d + k] * grad[j * d + k];
        }
        double probability = Math.sqrt(g) * temperature / qNorm;
        expected[j] = probability / temperature * Math.sqrt(dot(q, q) + dot(p[j], p[j]));
      }
      assertThat(expected[4]).as("the excluded row gets no gradient").isZero();
      assertThat(norms.get(NegativeGradients.Kind.ANCE)).isCloseTo(expected[1], within(1e-4 * expected[1]));
      assertThat(norms.get(NegativeGradients.Kind.MINED)).isCloseTo(expected[2], within(1e-4 * expected[2]));
      assertThat(norms.get(NegativeGradients.Kind.IN_BATCH)).isCloseTo(expected[3], within(1e-4 * expected[3]));
    }
  }

  @Test
  void aKindAbsentFromTheStepIsAbsentFromTheResult() {
    float[][] q = {{1, 0}};
    float[][] p = {{1, 0}, {0, 1}};
    Map<NegativeGradients.Kind, Double> norms = NegativeGradients.meanNorms(q, p, new int[] {0},
        new int[][] {{}}, new int[][] {{}}, new int[][] {{1}}, 1.0);
    assertThat(norms).containsOnlyKeys(NegativeGradients.Kind.MINED);
    double pNeg = Math.exp(0) / (Math.exp(1) + Math.exp(0));
    assertThat(norms.get(NegativeGradients.Kind.MINED)).isCloseTo(pNeg * Math.sqrt(2), within(1e-12));
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * b[k];
    }
    return s;
  }
}
