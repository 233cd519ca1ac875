package dev.quarry.train;

import dev.quarry.model.NamedTensor;
import dev.quarry.model.Safetensors;
import dev.quarry.util.Progress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Test helpers for trainers: a progress that crashes the run, and how far two saved models are apart. */
final class TrainingRuns {
  private TrainingRuns() {
  }

  /** A progress whose task throws "simulated crash" when the step count reaches {@code step}. */
  static Progress crashAt(long step) {
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

  /** The largest absolute difference between same-named weights of two safetensors files. */
  static double maxWeightDifference(Path a, Path b) {
    Map<String, NamedTensor> x = Safetensors.read(a);
    Map<String, NamedTensor> y = Safetensors.read(b);
    double max = 0;
    for (String name : x.keySet()) {
      for (int i = 0; i < x.get(name).values().length; i++) {
        max = Math.max(max, Math.abs(x.get(name).values()[i] - y.get(name).values()[i]));
      }
    }
    return max;
  }
}
