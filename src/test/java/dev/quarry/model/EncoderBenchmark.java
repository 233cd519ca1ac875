package dev.quarry.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.quarry.util.QuarryPaths;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Encodes the same real SciFact passages with Quarry (DJL) and with ONNX Runtime Java in one JVM, same threads, same
 * length-sorted batches, and prints passages per second for each and the ratio. Not a test: run it with
 * {@code bin/benchmark-encoder [model] [passages] [batch]} (see README).
 */
public final class EncoderBenchmark {
  private EncoderBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    String name = args.length > 0 ? args[0] : "all-minilm-l6-v2";
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    int threads = Runtime.getRuntime().availableProcessors();
    BundledModel bundled = BundledModel.byId(name).orElseThrow();
    Path dir = ModelDirectory.resolve(name, QuarryPaths.cacheRoot());
    List<String> texts = OnnxRuntimeParityTest.sciFactTexts(count);
    try (TextEncoder encoder = TextEncoder.load(dir);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        InputStream onnx = ModelDirectory.class.getResourceAsStream(bundled.onnxResource());
        OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      try (OrtSession session = env.createSession(onnx.readAllBytes(), options)) {
        long[][] ids = encoder.tokenizePassages(texts);
        List<List<long[]>> batches = batches(ids, batchSize);
        long tokens = 0;
        for (long[] a : ids) {
          tokens += a.length;
        }
        System.out.printf(Locale.ROOT, "model %s, %d passages (%d tokens, max %d), batch %d, %d threads%n", name,
            ids.length, tokens, batches.get(0).get(0).length, batchSize, threads);
        // warm up both on the first batch
        encoder.encodeBatch(TextEncoder.Side.PASSAGE, batches.get(0));
        OnnxRuntimeParityTest.onnxRuntime(env, session, batches.get(0), encoder.recipe());
        double quarry = 0;
        double ort = 0;
        for (int round = 0; round < 3; round++) {
          long t0 = System.nanoTime();
          for (List<long[]> b : batches) {
            encoder.encodeBatch(TextEncoder.Side.PASSAGE, b);
          }
          long t1 = System.nanoTime();
          for (List<long[]> b : batches) {
            OnnxRuntimeParityTest.onnxRuntime(env, session, b, encoder.recipe());
          }
          long t2 = System.nanoTime();
          double q = ids.length / ((t1 - t0) / 1e9);
          double o = ids.length / ((t2 - t1) / 1e9);
          System.out.printf(Locale.ROOT, "round %d: quarry %.1f passages/s, onnxruntime %.1f passages/s, ratio %.2f%n",
              round, q, o, q / o);
          quarry = Math.max(quarry, q);
          ort = Math.max(ort, o);
        }
        System.out.printf(Locale.ROOT, "best: quarry %.1f passages/s, onnxruntime %.1f passages/s, ratio %.2f%n",
            quarry, ort, quarry / ort);
      }
    }
  }

  private static List<List<long[]>> batches(long[][] ids, int batchSize) {
    long[][] sorted = ids.clone();
    java.util.Arrays.sort(sorted, (a, b) -> Integer.compare(b.length, a.length));
    List<List<long[]>> out = new ArrayList<>();
    for (int i = 0; i < sorted.length; i += batchSize) {
      out.add(List.of(java.util.Arrays.copyOfRange(sorted, i, Math.min(sorted.length, i + batchSize))));
    }
    return out;
  }
}
