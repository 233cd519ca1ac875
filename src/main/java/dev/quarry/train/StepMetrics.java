package dev.quarry.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link MetricsLog} records about one optimizer step.
 *
 * @param step completed optimizer steps, from 1
 * @param epoch the 0-based epoch the step belongs to
 * @param loss the step's training loss
 * @param learningRate the learning rate the step ran with
 * @param gradNorm the global gradient norm before clipping
 * @param examplesPerSecond training queries per second over the step
 * @param extra further numbers (for example {@code "accuracy"}), written after the standard fields in this order;
 *     their names must differ from the standard ones
 */
public record StepMetrics(long step, int epoch, double loss, double learningRate, double gradNorm,
    double examplesPerSecond, Map<String, Double> extra) {
  /** The standard fields, as named in each JSON line. */
  public static final List<String> FIELDS = List.of("step", "epoch", "loss", "learning_rate", "grad_norm",
      "examples_per_second");

  public StepMetrics {
    if (step < 1) {
      throw new IllegalArgumentException("step must be positive; step=" + step);
    }
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must not be negative; epoch=" + epoch);
    }
    extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    for (String name : extra.keySet()) {
      if (FIELDS.contains(name)) {
        throw new IllegalArgumentException("extra field " + name + " clashes with a standard field");
      }
    }
  }

  /** Metrics without extra fields. */
  public StepMetrics(long step, int epoch, double loss, double learningRate, double gradNorm,
      double examplesPerSecond) {
    this(step, epoch, loss, learningRate, gradNorm, examplesPerSecond, Map.of());
  }
}
