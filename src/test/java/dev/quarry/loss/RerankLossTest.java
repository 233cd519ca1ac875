package dev.quarry.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.quarry.testing.GarbageCollectorStress;
import org.junit.jupiter.api.Test;

class RerankLossTest {
  private static final float[] LOGITS = {2.0f, -1.0f, 0.5f, 30.0f, -40.0f, 1.0f};   // two groups of three

  @Test
  void pointwiseIsBinaryCrossEntropyWithLogits() {
    double expected = 0;
    for (int i = 0; i < LOGITS.length; i++) {
      double p = 1 / (1 + Math.exp(-LOGITS[i]));
      double y = i % 3 == 0 ? 1 : 0;
      // -[y log p + (1 - y) log(1 - p)], with log(1 - p) computed stably for the large logit
      double logP = -Math.log1p(Math.exp(-LOGITS[i]));
      double log1mP = -LOGITS[i] - Math.log1p(Math.exp(-LOGITS[i]));
      expected += -(y * logP + (1 - y) * log1mP);
      assertThat(p).isBetween(0.0, 1.0);
    }
    expected /= LOGITS.length;
    try (NDManager m = NDManager.newBaseManager()) {
      assertThat((double) RerankLoss.POINTWISE.loss(m.create(LOGITS), 3).getFloat()).isCloseTo(expected, within(1e-5));
    }
  }

  @Test
  void pointwiseGradientIsSigmoidMinusLabelOverPairsEvenWithTheCollectorRunning() {
    float[] grad = GarbageCollectorStress.during(() -> {
      try (NDManager m = NDManager.newBaseManager()) {
        NDArray logits = m.create(LOGITS);
        logits.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray loss = RerankLoss.POINTWISE.loss(logits, 3);
          System.gc();
          gc.backward(loss);
        }
        return logits.getGradient().toFloatArray();
      }
    });
    for (int i = 0; i < LOGITS.length; i++) {
      double expected = (1 / (1 + Math.exp(-LOGITS[i])) - (i % 3 == 0 ? 1 : 0)) / LOGITS.length;
      assertThat((double) grad[i]).as("d loss / d logit %d", i).isCloseTo(expected, within(1e-6));
    }
  }

  @Test
  void listwiseIsSoftmaxCrossEntropyOfEachGroupsFirstPair() {
    double expected = 0;
    for (int g = 0; g < 2; g++) {
      double max = Math.max(LOGITS[3 * g], Math.max(LOGITS[3 * g + 1], LOGITS[3 * g + 2]));
      double z = 0;
      for (int j = 0; j < 3; j++) {
        z += Math.exp(LOGITS[3 * g + j] - max);
      }
      expected += -(LOGITS[3 * g] - max - Math.log(z));
    }
    expected /= 2;
    try (NDManager m = NDManager.newBaseManager()) {
      assertThat((double) RerankLoss.LISTWISE.loss(m.create(LOGITS), 3).getFloat()).isCloseTo(expected, within(1e-5));
      assertThatThrownBy(() -> RerankLoss.LISTWISE.loss(m.create(LOGITS), 4))
          .hasMessageContaining("are not groups of 4 pairs");
    }
  }
}
