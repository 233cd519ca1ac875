package dev.quarry.train;

import dev.quarry.model.NamedTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A copy of {@link AdamW}'s state as Java values: the number of steps taken and, per parameter, the first and second
 * moment estimates ({@code exp_avg} and {@code exp_avg_sq} in PyTorch). {@link #toTensors()} lays it out for a
 * safetensors file: {@code m/<parameter>}, {@code v/<parameter>} and a one-element {@code step} tensor.
 *
 * @param step optimizer steps taken; 0 or more and at most {@link #MAX_STEP}
 * @param firstMoments by parameter name, each tensor named as its parameter
 * @param secondMoments by parameter name, the same names and shapes as {@code firstMoments}
 */
public record AdamWState(long step, Map<String, NamedTensor> firstMoments, Map<String, NamedTensor> secondMoments) {
  /** Largest step count a float32 {@code step} tensor holds exactly (2^24). */
  public static final long MAX_STEP = 1L << 24;
  /** Name of the step tensor in {@link #toTensors()}. */
  public static final String STEP = "step";

  public AdamWState {
    if (step < 0 || step > MAX_STEP) {
      throw new IllegalArgumentException("step must be in [0, " + MAX_STEP + "]; step=" + step);
    }
    if (!firstMoments.keySet().equals(secondMoments.keySet())) {
      throw new IllegalArgumentException("first and second moments name different parameters: "
          + firstMoments.keySet() + " vs " + secondMoments.keySet());
    }
    for (Map.Entry<String, NamedTensor> e : firstMoments.entrySet()) {
      NamedTensor other = secondMoments.get(e.getKey());
      if (!Arrays.equals(e.getValue().shape(), other.shape())) {
        throw new IllegalArgumentException("moments of " + e.getKey() + " have different shapes: "
            + Arrays.toString(e.getValue().shape()) + " vs " + Arrays.toString(other.shape()));
      }
    }
    firstMoments = Collections.unmodifiableMap(new LinkedHashMap<>(firstMoments));
    secondMoments = Collections.unmodifiableMap(new LinkedHashMap<>(secondMoments));
  }

  /** The tensors of a safetensors file: {@code m/<name>} and {@code v/<name>} per parameter, then {@code step}. */
  public List<NamedTensor> toTensors() {
    List<NamedTensor> out = new ArrayList<>();
    firstMoments.forEach((name, t) -> out.add(new NamedTensor("m/" + name, t.shape(), t.values())));
    secondMoments.forEach((name, t) -> out.add(new NamedTensor("v/" + name, t.shape(), t.values())));
    out.add(new NamedTensor(STEP, new long[] {1}, new float[] {step}));
    return out;
  }

  /** Reads back what {@link #toTensors()} wrote; {@code source} names the file in errors. */
  public static AdamWState fromTensors(Map<String, NamedTensor> tensors, String source) {
    NamedTensor stepTensor = tensors.get(STEP);
    if (stepTensor == null || stepTensor.values().length != 1) {
      throw new IllegalArgumentException(source + ": no one-element \"" + STEP + "\" tensor");
    }
    float stepValue = stepTensor.values()[0];
    if (stepValue != Math.rint(stepValue) || stepValue < 0) {
      throw new IllegalArgumentException(source + ": step must be a whole number, found " + stepValue);
    }
    Map<String, NamedTensor> m = new LinkedHashMap<>();
    Map<String, NamedTensor> v = new LinkedHashMap<>();
    for (NamedTensor t : tensors.values()) {
      String name = t.name();
      if (name.startsWith("m/")) {
        m.put(name.substring(2), new NamedTensor(name.substring(2), t.shape(), t.values()));
      } else if (name.startsWith("v/")) {
        v.put(name.substring(2), new NamedTensor(name.substring(2), t.shape(), t.values()));
      } else if (!name.equals(STEP)) {
        throw new IllegalArgumentException(source + ": unexpected tensor " + name
            + " (expected m/<parameter>, v/<parameter> and step)");
      }
    }
    try {
      return new AdamWState((long) stepValue, m, v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }
}
