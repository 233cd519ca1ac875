package dev.quarry.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Access to the gradient buffers that back-propagation accumulates into (PyTorch semantics: every backward adds to
 * them). The wrappers DJL returns for gradients are attached to a caller's manager so they are freed with it.
 */
public final class GradientBuffers {
  private GradientBuffers() {
  }

  /** The gradient of each parameter, as arrays attached to {@code scope}. */
  public static Map<String, NDArray> of(Map<String, NDArray> parameters, NDManager scope) {
    Map<String, NDArray> grads = new LinkedHashMap<>();
    parameters.forEach((name, p) -> {
      NDArray g = p.getGradient();
      g.attach(scope);
      grads.put(name, g);
    });
    return grads;
  }

  /** Sets every gradient buffer to zero, in place (a fill, so a NaN or infinity left by a bad step is cleared too). */
  public static void zero(Map<String, NDArray> parameters) {
    try (NDManager scope = firstManager(parameters).newSubManager()) {
      of(parameters, scope).values().forEach(g -> g.set(new ai.djl.ndarray.index.NDIndex("..."), 0));
    }
  }

  /** Copies of the gradients as float arrays, for tests and checkpoints. */
  public static Map<String, float[]> copy(Map<String, NDArray> parameters) {
    Map<String, float[]> out = new LinkedHashMap<>();
    try (NDManager scope = firstManager(parameters).newSubManager()) {
      of(parameters, scope).forEach((name, g) -> out.put(name, g.toFloatArray()));
    }
    return out;
  }

  private static NDManager firstManager(Map<String, NDArray> parameters) {
    return parameters.values().iterator().next().getManager();
  }
}
