package dev.quarry.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GradientBuffersTest {
  @Test
  void zeroClearsNonFiniteGradientsAndBackwardAccumulates() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray w = m.create(new float[] {1, 2});
      w.setRequiresGradient(true);
      Map<String, NDArray> params = Map.of("w", w);
      try (NDManager s = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(w.mul(s.create(new float[] {Float.POSITIVE_INFINITY, Float.NaN})).sum());
      }
      assertThat(GradientBuffers.copy(params).get("w")[1]).isNaN();
      GradientBuffers.zero(params);
      assertThat(GradientBuffers.copy(params).get("w")).containsExactly(0f, 0f);
      for (int i = 0; i < 2; i++) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          gc.backward(w.mul(3).sum());
        }
      }
      assertThat(GradientBuffers.copy(params).get("w")).containsExactly(6f, 6f);
    }
  }
}
