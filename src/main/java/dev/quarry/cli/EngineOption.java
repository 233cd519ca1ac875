package dev.quarry.cli;

import dev.quarry.model.InferenceEngine;
import picocli.CommandLine.Option;

/** {@code --engine}: what runs the forward passes of an inference command (a picocli mixin). */
public final class EngineOption {
  @Option(names = "--engine", paramLabel = "ENGINE",
      description = "What runs the model: libtorch, onnx (ONNX Runtime, fp32) or onnx-int8 (int8 weights); default: "
          + "the measured fastest at no quality loss (see README, \"Inference engines\").")
  String engine;

  public InferenceEngine get() {
    return engine == null ? InferenceEngine.DEFAULT : InferenceEngine.parse(engine);
  }
}
