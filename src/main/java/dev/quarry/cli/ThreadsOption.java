package dev.quarry.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --threads N} (a picocli mixin): how many threads the model engines use (libtorch's intra-op pool, which every
 * ONNX Runtime session of the process takes too), for inference and training alike. Parsing it sets the process-wide
 * {@code ai.djl.pytorch.num_threads} before any engine loads; without it, every available processor.
 */
public final class ThreadsOption {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--threads", paramLabel = "N",
      description = "Threads for the model engines, inference and training (default: available processors).")
  void threads(int n) {
    if (n <= 0) {
      throw new ParameterException(spec.commandLine(), "--threads must be positive, found " + n);
    }
    System.setProperty(dev.quarry.model.Torch.THREADS_PROPERTY, Integer.toString(n));
  }
}
