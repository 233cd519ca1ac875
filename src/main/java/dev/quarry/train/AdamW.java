package dev.quarry.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.quarry.model.NamedTensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter) with exactly the update of PyTorch's {@code torch.optim.AdamW}: for each parameter
 * {@code p} with gradient {@code g}, at step {@code t} (from 1) and learning rate {@code lr},
 *
 * <pre>
 * p ← p · (1 − lr·λ)                       (decoupled weight decay; skipped when the name is exempt)
 * m ← m + (1 − β1)·(g − m)                 (PyTorch's lerp form of β1·m + (1 − β1)·g)
 * v ← β2·v + (1 − β2)·g²
 * p ← p − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
 * </pre>
 *
 * A step can scale the learning rate per parameter ({@link #step(Map, double, Map)}), as PyTorch's parameter groups
 * do: the update and the decay of a parameter with scale {@code k} use {@code k·lr}. With scale 0 a parameter is held:
 * its moments take the gradient as usual but its value does not change. Condenser pre-training gives its fresh head
 * a larger rate and holds the backbone during a head warm-up this way.
 *
 * <p>Weight decay skips biases and LayerNorm weights, by the rule of common BERT fine-tuning scripts: names ending in
 * {@code .bias} or containing {@code LayerNorm} ({@link #decays(String)}).
 *
 * <p>The parameters are updated in place, so a model holding them sees the new values. The moments live in the
 * optimizer's own sub-manager, freed by {@link #close()}. Every step needs a gradient for every parameter: one step
 * count serves all of them, as in PyTorch when every parameter receives a gradient. {@link #step} runs with
 * libtorch's grad mode off (and restores it), so the in-place updates are never recorded, on any thread.
 */
public final class AdamW implements AutoCloseable {
  private final AdamWConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> parameters;
  private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
  private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
  private long step;

  /**
   * An optimizer over {@code parameters} (live arrays, updated in place) with zero moments.
   *
   * @param parent the manager whose sub-manager holds the moments
   */
  public AdamW(Map<String, NDArray> parameters, AdamWConfig config, NDManager parent) {
    if (parameters.isEmpty()) {
      throw new IllegalArgumentException("AdamW needs at least one parameter");
    }
    this.config = config;
    this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    this.manager = parent.newSubManager();
    this.parameters.forEach((name, p) -> {
      if (p.getDataType() != DataType.FLOAT32) {
        manager.close();
        throw new IllegalArgumentException("parameter " + name + " is " + p.getDataType() + "; AdamW needs float32");
      }
      firstMoments.put(name, manager.zeros(p.getShape(), DataType.FLOAT32));
      secondMoments.put(name, manager.zeros(p.getShape(), DataType.FLOAT32));
    });
  }

  /** Whether weight decay applies to the named parameter: not to biases nor LayerNorm weights. */
  public static boolean decays(String name) {
    return !name.endsWith(".bias") && !name.contains("LayerNorm");
  }

  public AdamWConfig config() {
    return config;
  }

  /** Steps taken so far. */
  public long stepCount() {
    return step;
  }

  /**
   * One update of every parameter.
   *
   * @param gradients a gradient per parameter, by the same names and shapes (read, not changed)
   * @param learningRate this step's learning rate (from the schedule); 0 or more
   */
  public void step(Map<String, NDArray> gradients, double learningRate) {
    step(gradients, learningRate, Map.of());
  }

  /**
   * One update with the learning rate of some parameters scaled.
   *
   * @param scales a factor of {@code learningRate} per parameter name, 0 or more; parameters not named use 1
   */
  public void step(Map<String, NDArray> gradients, double learningRate, Map<String, Double> scales) {
    scales.forEach((name, scale) -> {
      if (!parameters.containsKey(name)) {
        throw new IllegalArgumentException("learning-rate scale for unknown parameter " + name);
      }
      if (!(scale >= 0) || Double.isInfinite(scale)) {
        throw new IllegalArgumentException("learning-rate scale of " + name + " must be finite and not negative; "
            + "scale=" + scale);
      }
    });
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be finite and not negative; learningRate="
          + learningRate);
    }
    checkGradients(gradients);
    // libtorch's grad mode is per thread and on by default in every thread but the one that loaded the engine:
    // switch it off, or in-place updates of parameters that require gradients fail (or get recorded)
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      update(gradients, learningRate, scales);
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  private void update(Map<String, NDArray> gradients, double baseRate, Map<String, Double> scales) {
    step++;
    double beta1 = config.beta1();
    double beta2 = config.beta2();
    double firstCorrection = 1 - Math.pow(beta1, step);
    float secondCorrectionSqrt = (float) Math.sqrt(1 - Math.pow(beta2, step));
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      String name = e.getKey();
      NDArray p = e.getValue();
      NDArray g = gradients.get(name);
      NDArray m = firstMoments.get(name);
      NDArray v = secondMoments.get(name);
      double learningRate = baseRate * scales.getOrDefault(name, 1.0);
      if (learningRate != 0 && config.weightDecay() != 0 && decays(name)) {
        p.muli((float) (1 - learningRate * config.weightDecay()));
      }
      try (NDArray delta = g.sub(m)) {
        m.addi(delta.muli((float) (1 - beta1)));
      }
      try (NDArray squared = g.mul(g)) {
        v.muli((float) beta2).addi(squared.muli((float) (1 - beta2)));
      }
      if (learningRate == 0) {
        continue;   // held: the moments moved, the value does not
      }
      float stepSize = (float) (learningRate / firstCorrection);
      try (NDArray denominator = v.sqrt()) {
        denominator.divi(secondCorrectionSqrt).addi((float) config.epsilon());
        try (NDArray update = m.div(denominator)) {
          p.subi(update.muli(stepSize));
        }
      }
    }
  }

  private void checkGradients(Map<String, NDArray> gradients) {
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      NDArray g = gradients.get(e.getKey());
      if (g == null) {
        throw new IllegalArgumentException("no gradient for parameter " + e.getKey());
      }
      if (!g.getShape().equals(e.getValue().getShape())) {
        throw new IllegalArgumentException("gradient of " + e.getKey() + " has shape " + g.getShape()
            + " but the parameter has " + e.getValue().getShape());
      }
    }
    for (String name : gradients.keySet()) {
      if (!parameters.containsKey(name)) {
        throw new IllegalArgumentException("gradient for unknown parameter " + name);
      }
    }
  }

  /** A copy of the step count and moments, for a checkpoint. */
  public AdamWState state() {
    return new AdamWState(step, export(firstMoments), export(secondMoments));
  }

  private static Map<String, NamedTensor> export(Map<String, NDArray> moments) {
    Map<String, NamedTensor> out = new LinkedHashMap<>();
    moments.forEach((name, a) -> out.put(name, new NamedTensor(name, a.getShape().getShape(), a.toFloatArray())));
    return out;
  }

  /** Replaces the step count and moments with a saved state, which must cover exactly these parameters. */
  public void loadState(AdamWState state) {
    if (!state.firstMoments().keySet().equals(parameters.keySet())) {
      throw new IllegalArgumentException("optimizer state names other parameters: " + state.firstMoments().keySet()
          + " vs " + parameters.keySet());
    }
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      long[] shape = e.getValue().getShape().getShape();
      if (!Arrays.equals(shape, state.firstMoments().get(e.getKey()).shape())) {
        throw new IllegalArgumentException("optimizer state of " + e.getKey() + " has shape "
            + Arrays.toString(state.firstMoments().get(e.getKey()).shape()) + " but the parameter has "
            + Arrays.toString(shape));
      }
    }
    for (String name : parameters.keySet()) {
      replace(firstMoments, state.firstMoments().get(name));
      replace(secondMoments, state.secondMoments().get(name));
    }
    step = state.step();
  }

  private void replace(Map<String, NDArray> moments, NamedTensor saved) {
    NDArray fresh = manager.create(saved.values(), new Shape(saved.shape()));
    moments.put(saved.name(), fresh).close();
  }

  @Override
  public void close() {
    manager.close();
  }
}
