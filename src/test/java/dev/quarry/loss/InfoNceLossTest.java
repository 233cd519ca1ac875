package dev.quarry.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class InfoNceLossTest {
  @Test
  void matchesTheFormulaOnHandMadeEmbeddings() {
    float[][] q = {{1, 0}, {0, 1}};
    float[][] p = {{1, 0}, {0.6f, 0.8f}, {0, 1}, {-1, 0}};
    int[] positives = {0, 2};
    float t = 0.5f;
    double expected = 0;
    for (int i = 0; i < q.length; i++) {
      double[] s = new double[p.length];
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < p.length; j++) {
        s[j] = (q[i][0] * p[j][0] + q[i][1] * p[j][1]) / t;
        max = Math.max(max, s[j]);
      }
      double z = 0;
      for (double v : s) {
        z += Math.exp(v - max);
      }
      expected += -(s[positives[i]] - max - Math.log(z));
    }
    expected /= q.length;
    try (NDManager m = NDManager.newBaseManager()) {
      float loss = new InfoNceLoss(t).loss(m.create(q), m.create(p), positives).getFloat();
      assertThat((double) loss).isCloseTo(expected, within(1e-6));
    }
    assertThat(InfoNceLoss.groupedPositives(3, 4)).containsExactly(0, 4, 8);
  }

  @Test
  void anExcludedRowIsAsIfItWereNotInThatQuerysPool() {
    float[][] q = {{1, 0}, {0.6f, 0.8f}};
    float[][] p = {{1, 0}, {0.8f, 0.6f}, {0, 1}};
    float[][] withoutRow1 = {{1, 0}, {0, 1}};
    InfoNceLoss loss = new InfoNceLoss(0.1f);
    try (NDManager m = NDManager.newBaseManager()) {
      var qs = m.create(q);
      qs.setRequiresGradient(true);
      float excluded;
      float[] gradExcluded;
      try (var gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
        var l = loss.loss(qs, m.create(p), new int[] {0, 2}, new int[][] {{1}, {}});
        gc.backward(l);
        excluded = l.getFloat();
        gradExcluded = qs.getGradient().get(0).toFloatArray();
      }
      // query 0 without row 1, query 1 with the whole pool: the mean of the two separate losses
      float q0 = loss.loss(m.create(new float[][] {q[0]}), m.create(withoutRow1), new int[] {0}).getFloat();
      float q1 = loss.loss(m.create(new float[][] {q[1]}), m.create(p), new int[] {2}).getFloat();
      assertThat(excluded).isCloseTo((q0 + q1) / 2, within(1e-6f));
      // d loss / d q0 = (1/2) (1/t) (sum_j softmax_j p_j - p_0) over the pool without row 1: scores 10 and 0, so
      // softmax_2 = 1 / (1 + e^10) and the gradient is 5 / (1 + e^10) * (p_2 - p_0) = 5 / (1 + e^10) * (-1, 1).
      // Row 1 (score 8) left in the softmax, or a NaN from its -infinity, would show here.
      double g = 5 / (1 + Math.exp(10));
      assertThat(gradExcluded).hasSize(2);
      // the first component is 5 (softmax_0 - 1) with softmax_0 a float next to 1: it is off by up to 5 of its ulps
      assertThat((double) gradExcluded[0]).isCloseTo(-g, within(5 * (double) Math.ulp(1f)));
      assertThat((double) gradExcluded[1]).isCloseTo(g, within(1e-8));
      assertThat(excluded).isLessThan(loss.loss(m.create(q), m.create(p), new int[] {0, 2}).getFloat());
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> loss.loss(m.create(q), m.create(p), new int[] {0, 2}, new int[][] {{0}, {}}))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot exclude row 0");
    }
  }
}
