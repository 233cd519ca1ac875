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
}
