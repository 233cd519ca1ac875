package dev.quarry.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An ONNX Runtime session over a BERT graph with {@link OnnxBertGraph}'s inputs: one padded batch in, the graph's
 * single output out as floats. Every run's tensors are closed before it returns, so no native memory outlives a
 * batch; the session's own memory goes with {@link #close}. One session may be run from several threads (ONNX
 * Runtime's sessions are thread-safe for {@code run}).
 */
public final class OnnxBertSession implements AutoCloseable {
  private final OrtEnvironment env;
  private final OrtSession session;

  private OnnxBertSession(OrtEnvironment env, OrtSession session) {
    this.env = env;
    this.session = session;
  }

  /** A session with every graph optimization, on {@code threads} intra-op threads. */
  public static OnnxBertSession open(byte[] model, int threads, String source) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      return new OnnxBertSession(env, env.createSession(model, options));
    } catch (OrtException e) {
      throw new IllegalStateException(source + ": ONNX Runtime cannot load the graph: " + e.getMessage(), e);
    }
  }

  /**
   * The graph's output, row-major, for token rows padded to the longest ({@code [rows, longest, ...]}); segment ids
   * from {@code typeRows}, or 0 everywhere when it is null.
   */
  public float[] run(List<long[]> tokenRows, List<long[]> typeRows) {
    int length = tokenRows.stream().mapToInt(a -> a.length).max().orElse(0);
    int rows = tokenRows.size();
    long[] ids = new long[rows * length];
    long[] mask = new long[rows * length];
    long[] types = new long[rows * length];
    for (int b = 0; b < rows; b++) {
      long[] row = tokenRows.get(b);
      System.arraycopy(row, 0, ids, b * length, row.length);
      Arrays.fill(mask, b * length, b * length + row.length, 1L);
      if (typeRows != null) {
        System.arraycopy(typeRows.get(b), 0, types, b * length, row.length);
      }
    }
    return run(ids, mask, types, rows, length);
  }

  private float[] run(long[] ids, long[] mask, long[] types, int rows, int length) {
    long[] shape = {rows, length};
    try (OnnxTensor i = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
        OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
        OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape);
        OrtSession.Result result = session.run(Map.of(OnnxBertGraph.INPUT_IDS, i, OnnxBertGraph.ATTENTION_MASK, m,
            OnnxBertGraph.TOKEN_TYPE_IDS, t))) {
      FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
      float[] values = new float[out.remaining()];
      out.get(values);
      return values;
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on a batch of " + rows + " x " + length + " tokens: "
          + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("cannot close an ONNX Runtime session", e);
    }
  }
}
