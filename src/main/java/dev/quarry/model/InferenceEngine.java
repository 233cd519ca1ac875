package dev.quarry.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What runs a model's forward pass when nothing trains it: libtorch through DJL (the training engine), or ONNX Runtime
 * on a graph built from the same weights at load time ({@link OnnxBertGraph}), in fp32 or with int8 weights. Training
 * always runs on libtorch; an inference engine only reads the weights a model directory holds, so nothing can go
 * stale. Chosen by measurement: see the README, "Inference engines".
 */
public enum InferenceEngine {
  LIBTORCH("libtorch", null),
  ONNX("onnx", OnnxBertGraph.Precision.FP32),
  ONNX_INT8("onnx-int8", OnnxBertGraph.Precision.INT8);

  /** The engine inference commands use when none is named. */
  public static final InferenceEngine DEFAULT = ONNX;

  private final String id;
  private final OnnxBertGraph.Precision precision;

  InferenceEngine(String id, OnnxBertGraph.Precision precision) {
    this.id = id;
    this.precision = precision;
  }

  /** The name on the command line, in configs and in cache keys. */
  public String id() {
    return id;
  }

  /** Whether ONNX Runtime runs it. */
  public boolean onnx() {
    return precision != null;
  }

  /** The ONNX graph's weight precision; only for ONNX engines. */
  public OnnxBertGraph.Precision precision() {
    if (precision == null) {
      throw new IllegalStateException(id + " runs no ONNX graph");
    }
    return precision;
  }

  /** Parses {@link #id()}; the error lists the choices. */
  public static InferenceEngine parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    for (InferenceEngine e : values()) {
      if (e.id.equals(t)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown inference engine \"" + text + "\"; choose one of "
        + Arrays.stream(values()).map(InferenceEngine::id).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return id;
  }
}
