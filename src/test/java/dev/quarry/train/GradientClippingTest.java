package dev.quarry.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GradientClippingTest {
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager("PyTorch");
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private Map<String, NDArray> gradients(float[] a, float[] b) {
    Map<String, NDArray> g = new LinkedHashMap<>();
    g.put("a", manager.create(a));
    g.put("b", manager.create(b, new Shape(1, b.length)));
    return g;
  }

  @Test
  void scalesByMaxNormOverNormPlusEpsilonWhenAboveTheMax() {
    Map<String, NDArray> g = gradients(new float[] {3, 4}, new float[] {12});   // global norm 13
    assertThat(GradientClipping.globalNorm(g)).isCloseTo(13, within(1e-6));
    double before = GradientClipping.clipByGlobalNorm(g, 6.5);
    assertThat(before).isCloseTo(13, within(1e-6));
    double scale = 6.5 / (13 + 1e-6);
    assertThat(g.get("a").toFloatArray()).containsExactly(new float[] {(float) (3 * scale), (float) (4 * scale)},
        within(1e-6f));
    assertThat(g.get("b").toFloatArray()).containsExactly(new float[] {(float) (12 * scale)}, within(1e-6f));
    assertThat(GradientClipping.globalNorm(g)).isCloseTo(6.5, within(1e-5));
  }

  @Test
  void leavesGradientsAloneAtOrBelowTheMax() {
    Map<String, NDArray> g = gradients(new float[] {3, 4}, new float[] {12});
    assertThat(GradientClipping.clipByGlobalNorm(g, 20)).isCloseTo(13, within(1e-6));
    assertThat(g.get("a").toFloatArray()).containsExactly(3, 4);
    // max_norm equal to the norm: the scale 13/(13+1e-6) is below 1 and applies, as in PyTorch
    GradientClipping.clipByGlobalNorm(g, 13);
    assertThat(g.get("b").toFloatArray()[0]).isCloseTo((float) (12 * 13 / (13 + 1e-6)), within(1e-6f));
  }

  @Test
  void nonFiniteNormLeavesGradientsForTheCallerToSkip() {
    Map<String, NDArray> g = gradients(new float[] {Float.NaN, 1}, new float[] {2});
    assertThat(GradientClipping.clipByGlobalNorm(g, 1.0)).isNaN();
    assertThat(g.get("b").toFloatArray()).containsExactly(2);
    assertThatThrownBy(() -> GradientClipping.clipByGlobalNorm(g, 0)).hasMessage("maxNorm must be positive; maxNorm=0.0");
  }
}
