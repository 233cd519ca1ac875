package dev.quarry.testing;

import dev.quarry.model.NamedTensor;
import dev.quarry.model.Safetensors;
import dev.quarry.util.Progress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Test helpers for trainers: a progress that crashes the run, and how far two saved models are apart. */
public final class TrainingRuns {
  private TrainingRuns() {
  }

  /** A progress whose task throws "simulated crash" when the step count reaches {@code step}. */
  public static Progress crashAt(long step) {
    AtomicLong steps = new AtomicLong();
    return (name, total) -> new Progress.Task() {
      @Override
      public void step(long n) {
        if (steps.addAndGet(n) == step) {
          throw new IllegalStateException("simulated crash");
        }
      }

      @Override
      public void close() {
      }
    };
  }

  /** The mean and the largest absolute difference between same-named weights of two safetensors files. */
  public record WeightDifference(double mean, double max) {
  }

  public static WeightDifference weightDifference(Path a, Path b) {
    Map<String, NamedTensor> x = Safetensors.read(a);
    Map<String, NamedTensor> y = Safetensors.read(b);
    double max = 0;
    double sum = 0;
    long n = 0;
    for (String name : x.keySet()) {
      for (int i = 0; i < x.get(name).values().length; i++) {
        double d = Math.abs(x.get(name).values()[i] - y.get(name).values()[i]);
        max = Math.max(max, d);
        sum += d;
        n++;
      }
    }
    return new WeightDifference(sum / n, max);
  }

  /**
   * Asserts that a resumed run ended where the uninterrupted one did. Both runs do the same arithmetic in the same
   * process, so the weights are in fact bit-identical (measured: a difference of exactly 0); the bound of 1e-6 leaves
   * room only for last-bit noise. A resume that lost or repeated a step moves every weight by about the learning rate.
   */
  public static void assertResumedEqualsUninterrupted(Path uninterrupted, Path resumed) {
    WeightDifference d = weightDifference(uninterrupted, resumed);
    org.assertj.core.api.Assertions.assertThat(d.max()).as("max |uninterrupted - resumed| weight (mean " + d.mean()
        + ")").isLessThan(1e-6);
  }
}
