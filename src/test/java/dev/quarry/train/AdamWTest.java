package dev.quarry.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.quarry.model.NamedTensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdamWTest {
  private static final List<String> NAMES = List.of("encoder.layer.0.output.dense.weight",
      "encoder.layer.0.output.dense.bias", "embeddings.LayerNorm.weight");
  private static final double[][] INITIAL = {{0.5, -1.2, 2.0, 0.03}, {0.1, -0.2}, {1.0, 0.9, 1.1}};
  private static final long[][] SHAPES = {{2, 2}, {2}, {3}};

  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager("PyTorch");
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void decayRuleSkipsBiasesAndLayerNorms() {
    assertThat(AdamW.decays("encoder.layer.0.attention.self.query.weight")).isTrue();
    assertThat(AdamW.decays("embeddings.word_embeddings.weight")).isTrue();
    assertThat(AdamW.decays("encoder.layer.0.attention.self.query.bias")).isFalse();
    assertThat(AdamW.decays("encoder.layer.3.output.LayerNorm.weight")).isFalse();
    assertThat(AdamW.decays("embeddings.LayerNorm.bias")).isFalse();
  }

  @Test
  void matchesTorchAdamWComputedByHand() {
    AdamWConfig config = new AdamWConfig(0.9, 0.999, 1e-8, 0.1);
    double[][] gradients0 = {{0.3, -0.7, 0.01, 1.5}, {-0.4, 0.25}, {0.05, -0.02, 0.6}};
    double[] lrs = {0.01, 0.02, 0.015, 0.005, 0.03};
    Map<String, NDArray> params = parameters(INITIAL);
    double[][] expected = floatRounded(INITIAL);
    double[][] m = zerosLike(INITIAL);
    double[][] v = zerosLike(INITIAL);
    try (AdamW adamw = new AdamW(params, config, manager)) {
      for (int t = 1; t <= lrs.length; t++) {
        double[][] g = gradientsAt(gradients0, t);
        Map<String, NDArray> grads = arrays(g);
        adamw.step(grads, lrs[t - 1]);
        reference(expected, g, m, v, t, lrs[t - 1], config, Map.of());
        for (int i = 0; i < NAMES.size(); i++) {
          float[] actual = params.get(NAMES.get(i)).toFloatArray();
          for (int j = 0; j < actual.length; j++) {
            assertThat((double) actual[j]).as("%s[%d] after step %d", NAMES.get(i), j, t)
                .isCloseTo(expected[i][j], within(2e-6));
          }
          assertThat(grads.get(NAMES.get(i)).toFloatArray()).as("gradients are not changed")
              .containsExactly(toFloats(g[i]));
        }
      }
      assertThat(adamw.stepCount()).isEqualTo(lrs.length);
      // the moments themselves match too
      AdamWState state = adamw.state();
      for (int i = 0; i < NAMES.size(); i++) {
        float[] sm = state.firstMoments().get(NAMES.get(i)).values();
        float[] sv = state.secondMoments().get(NAMES.get(i)).values();
        for (int j = 0; j < sm.length; j++) {
          assertThat((double) sm[j]).isCloseTo(m[i][j], within(1e-7));
          assertThat((double) sv[j]).isCloseTo(v[i][j], within(1e-7));
        }
      }
    }
  }

  /**
   * torch.optim.AdamW as its documentation states it (amsgrad off, maximize off), in doubles: decoupled decay, the
   * moment updates, bias correction, and the update with epsilon outside the square root.
   */
  private static void reference(double[][] theta, double[][] g, double[][] m, double[][] v, int t, double baseLr,
      AdamWConfig c, Map<String, Double> scales) {
    for (int i = 0; i < theta.length; i++) {
      double lr = baseLr * scales.getOrDefault(NAMES.get(i), 1.0);   // the parameter's group
      double lambda = AdamW.decays(NAMES.get(i)) ? c.weightDecay() : 0;
      for (int j = 0; j < theta[i].length; j++) {
        theta[i][j] -= lr * lambda * theta[i][j];
        m[i][j] = c.beta1() * m[i][j] + (1 - c.beta1()) * g[i][j];
        v[i][j] = c.beta2() * v[i][j] + (1 - c.beta2()) * g[i][j] * g[i][j];
        double mHat = m[i][j] / (1 - Math.pow(c.beta1(), t));
        double vHat = v[i][j] / (1 - Math.pow(c.beta2(), t));
        theta[i][j] -= lr * mHat / (Math.sqrt(vHat) + c.epsilon());
      }
    }
  }

  @Test
  void scaledRatesActAsTorchParameterGroupsAndScaleZeroHoldsAParameter() {
    AdamWConfig config = new AdamWConfig(0.9, 0.999, 1e-8, 0.1);
    double[][] gradients0 = {{0.3, -0.7, 0.01, 1.5}, {-0.4, 0.25}, {0.05, -0.02, 0.6}};
    Map<String, NDArray> params = parameters(INITIAL);
    double[][] expected = floatRounded(INITIAL);
    double[][] m = zerosLike(INITIAL);
    double[][] v = zerosLike(INITIAL);
    Map<String, Double> held = Map.of(NAMES.get(0), 0.0, NAMES.get(2), 0.0, NAMES.get(1), 10.0);
    try (AdamW adamw = new AdamW(params, config, manager)) {
      for (int t = 1; t <= 4; t++) {
        double[][] g = gradientsAt(gradients0, t);
        Map<String, Double> now = t <= 2 ? held : Map.of(NAMES.get(1), 10.0);
        adamw.step(arrays(g), 0.01, now);
        reference(expected, g, m, v, t, 0.01, config, now);
        if (t <= 2) {
          assertThat(params.get(NAMES.get(0)).toFloatArray()).as("held at step %d", t)
              .containsExactly(toFloats(INITIAL[0]));
        }
        for (int i = 0; i < NAMES.size(); i++) {
          float[] actual = params.get(NAMES.get(i)).toFloatArray();
          for (int j = 0; j < actual.length; j++) {
            assertThat((double) actual[j]).as("%s[%d] after step %d", NAMES.get(i), j, t)
                .isCloseTo(expected[i][j], within(2e-6));
          }
        }
      }
      assertThat(params.get(NAMES.get(0)).toFloatArray()).as("released after step 2")
          .isNotEqualTo(toFloats(INITIAL[0]));
      assertThatThrownBy(() -> adamw.step(arrays(INITIAL), 0.01, Map.of("pooler.dense.weight", 0.0)))
          .hasMessage("learning-rate scale for unknown parameter pooler.dense.weight");
      assertThatThrownBy(() -> adamw.step(arrays(INITIAL), 0.01, Map.of(NAMES.get(1), -1.0)))
          .hasMessageStartingWith("learning-rate scale of " + NAMES.get(1) + " must be finite");
    }
  }

  @Test
  void savedStateContinuesExactly() {
    AdamWConfig config = AdamWConfig.withWeightDecay(0.01);
    double[][] g0 = {{0.3, -0.7, 0.01, 1.5}, {-0.4, 0.25}, {0.05, -0.02, 0.6}};
    Map<String, NDArray> straight = parameters(INITIAL);
    Map<String, NDArray> resumed = parameters(INITIAL);
    try (AdamW a = new AdamW(straight, config, manager)) {
      AdamWState saved;
      try (AdamW b = new AdamW(resumed, config, manager)) {
        for (int t = 1; t <= 2; t++) {
          a.step(arrays(gradientsAt(g0, t)), 1e-3 * t);
          b.step(arrays(gradientsAt(g0, t)), 1e-3 * t);
        }
        saved = b.state();
      }
      AdamWState restored = AdamWState.fromTensors(byName(saved.toTensors()), "test");
      assertThat(restored.step()).isEqualTo(2);
      try (AdamW c = new AdamW(resumed, config, manager)) {
        c.loadState(restored);
        for (int t = 3; t <= 4; t++) {
          a.step(arrays(gradientsAt(g0, t)), 1e-3 * t);
          c.step(arrays(gradientsAt(g0, t)), 1e-3 * t);
        }
        assertThat(c.stepCount()).isEqualTo(4);
      }
      for (String name : NAMES) {
        assertThat(resumed.get(name).toFloatArray()).containsExactly(straight.get(name).toFloatArray());
      }
    }
  }

  @Test
  void stateTensorsAreNamedByMomentAndParameter() {
    try (AdamW a = new AdamW(parameters(INITIAL), AdamWConfig.withWeightDecay(0), manager)) {
      List<NamedTensor> tensors = a.state().toTensors();
      assertThat(tensors).extracting(NamedTensor::name).containsExactly("m/" + NAMES.get(0), "m/" + NAMES.get(1),
          "m/" + NAMES.get(2), "v/" + NAMES.get(0), "v/" + NAMES.get(1), "v/" + NAMES.get(2), "step");
      assertThat(tensors.get(0).shape()).containsExactly(2, 2);
    }
  }

  @Test
  void updatesParametersThatRequireGradientsWithTheirOwnGradients() {
    NDArray w = manager.create(new float[] {1, 2, 3});
    w.setRequiresGradient(true);
    try (AdamW a = new AdamW(Map.of("w", w), AdamWConfig.withWeightDecay(0), manager)) {
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        gc.backward(w.mul(w).sum());
      }
      try (NDArray g = w.getGradient()) {
        a.step(Map.of("w", g), 0.1);
      }
    }
    // the first AdamW step moves each weight by lr against the sign of its gradient
    assertThat(w.toFloatArray()).containsExactly(new float[] {0.9f, 1.9f, 2.9f}, within(1e-6f));
  }

  @Test
  void stepsOnAThreadWhereGradModeIsOn() throws Exception {
    // libtorch's grad mode is on by default in threads other than the one that loaded the engine
    NDArray w = manager.create(new float[] {1, -1});
    w.setRequiresGradient(true);
    Throwable[] failure = new Throwable[1];
    try (AdamW a = new AdamW(Map.of("w", w), AdamWConfig.withWeightDecay(0), manager)) {
      Thread worker = new Thread(() -> {
        try (NDArray g = manager.create(new float[] {0.5f, -0.5f})) {
          a.step(Map.of("w", g), 0.1);
        } catch (Throwable t) {
          failure[0] = t;
        }
      });
      worker.start();
      worker.join();
    }
    assertThat(failure[0]).isNull();
    assertThat(w.toFloatArray()).containsExactly(new float[] {0.9f, -0.9f}, within(1e-6f));
  }

  @Test
  void rejectsMismatchedGradients() {
    Map<String, NDArray> params = parameters(INITIAL);
    try (AdamW a = new AdamW(params, AdamWConfig.withWeightDecay(0.01), manager)) {
      Map<String, NDArray> missing = arrays(INITIAL);
      missing.remove(NAMES.get(1));
      assertThatThrownBy(() -> a.step(missing, 0.1)).hasMessage("no gradient for parameter " + NAMES.get(1));
      Map<String, NDArray> extra = arrays(INITIAL);
      extra.put("pooler.dense.weight", manager.zeros(new Shape(1)));
      assertThatThrownBy(() -> a.step(extra, 0.1)).hasMessage("gradient for unknown parameter pooler.dense.weight");
      Map<String, NDArray> wrongShape = arrays(INITIAL);
      wrongShape.put(NAMES.get(0), manager.zeros(new Shape(4)));
      assertThatThrownBy(() -> a.step(wrongShape, 0.1)).hasMessage("gradient of " + NAMES.get(0)
          + " has shape (4) but the parameter has (2, 2)");
      assertThatThrownBy(() -> a.step(arrays(INITIAL), -1)).hasMessageStartingWith("learningRate must be finite");
      assertThat(a.stepCount()).isZero();
    }
    assertThatThrownBy(() -> new AdamWConfig(1.0, 0.999, 1e-8, 0)).hasMessage("beta1 must be in [0, 1); beta1=1.0");
    assertThatThrownBy(() -> new AdamWConfig(0.9, 0.999, 0, 0)).hasMessage("epsilon must be positive; epsilon=0.0");
  }

  private static double[][] gradientsAt(double[][] g0, int t) {
    double[][] g = new double[g0.length][];
    for (int i = 0; i < g0.length; i++) {
      g[i] = new double[g0[i].length];
      for (int j = 0; j < g0[i].length; j++) {
        g[i][j] = (float) (g0[i][j] * (1 + 0.3 * t) * (j % 2 == 0 ? 1 : -1) + 0.05 * (t - 2));
      }
    }
    return g;
  }

  private Map<String, NDArray> parameters(double[][] values) {
    return arrays(values);
  }

  private Map<String, NDArray> arrays(double[][] values) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (int i = 0; i < NAMES.size(); i++) {
      out.put(NAMES.get(i), manager.create(toFloats(values[i]), new Shape(SHAPES[i])));
    }
    return out;
  }

  private static Map<String, NamedTensor> byName(List<NamedTensor> tensors) {
    Map<String, NamedTensor> out = new LinkedHashMap<>();
    tensors.forEach(t -> out.put(t.name(), t));
    return out;
  }

  private static float[] toFloats(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  private static double[][] floatRounded(double[][] values) {
    double[][] out = new double[values.length][];
    for (int i = 0; i < values.length; i++) {
      out[i] = new double[values[i].length];
      for (int j = 0; j < values[i].length; j++) {
        out[i][j] = (float) values[i][j];   // start from the float32 values the optimizer holds
      }
    }
    return out;
  }

  private static double[][] zerosLike(double[][] values) {
    double[][] out = new double[values.length][];
    for (int i = 0; i < values.length; i++) {
      out[i] = new double[values[i].length];
    }
    return out;
  }
}
