package dev.quarry.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.quarry.util.QuarryPaths;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Encodes the same real SciFact passages in one JVM, same threads, same length-sorted batches, with every inference
 * engine Quarry has ({@link InferenceEngine}) and with the peer, ONNX Runtime running the bundled model's original ONNX
 * file (fp32); prints passages per second, each engine's ratio to the peer, and how far each engine's embeddings are
 * from libtorch's (max absolute difference, min cosine). Warns when other processes used the CPUs during the run. Not
 * a test: run it with {@code bin/benchmark encoder [model] [passages] [batch]} (see README).
 */
public final class EncoderBenchmark {
  private EncoderBenchmark() {
  }

  private interface Engine {
    float[][] encode(List<long[]> batch) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    String name = args.length > 0 ? args[0] : "all-minilm-l6-v2";
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    int threads = Runtime.getRuntime().availableProcessors();
    BundledModel bundled = BundledModel.byId(name).orElseThrow();
    Path dir = ModelDirectory.resolve(name, QuarryPaths.cacheRoot());
    List<String> texts = OnnxRuntimeParityTest.sciFactTexts(count);
    try (TextEncoder torch = TextEncoder.load(dir);
        TextEncoder onnx = TextEncoder.load(dir, InferenceEngine.ONNX);
        TextEncoder int8 = TextEncoder.load(dir, InferenceEngine.ONNX_INT8);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        InputStream file = ModelDirectory.class.getResourceAsStream(bundled.onnxResource());
        OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      try (OrtSession peer = env.createSession(file.readAllBytes(), options)) {
        Map<String, Engine> engines = new LinkedHashMap<>();
        engines.put("onnxruntime, bundled file (peer)",
            b -> OnnxRuntimeParityTest.onnxRuntime(env, peer, b, torch.recipe()));
        engines.put("libtorch", b -> torch.encodeBatch(TextEncoder.Side.PASSAGE, b));
        engines.put("onnx (quarry's graph, fp32)", b -> onnx.encodeBatch(TextEncoder.Side.PASSAGE, b));
        engines.put("onnx-int8 (quarry's graph)", b -> int8.encodeBatch(TextEncoder.Side.PASSAGE, b));
        long[][] ids = torch.tokenizePassages(texts);
        List<List<long[]>> batches = batches(ids, batchSize);
        long tokens = 0;
        for (long[] a : ids) {
          tokens += a.length;
        }
        System.out.printf(Locale.ROOT, "model %s, %d passages (%d tokens, max %d), batch %d, %d threads%n", name,
            ids.length, tokens, batches.get(0).get(0).length, batchSize, threads);
        Map<String, float[][]> vectors = new LinkedHashMap<>();
        for (Map.Entry<String, Engine> e : engines.entrySet()) {
          vectors.put(e.getKey(), run(e.getValue(), batches));   // warm-up and the vectors compared below
        }
        Map<String, Double> best = new LinkedHashMap<>();
        long machine0 = machineTicks();
        long own0 = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
            .getProcessCpuTime();
        long wall0 = System.nanoTime();
        for (int round = 0; round < 3; round++) {
          StringBuilder line = new StringBuilder("round " + round + ":");
          for (Map.Entry<String, Engine> e : engines.entrySet()) {
            long t0 = System.nanoTime();
            run(e.getValue(), batches);
            double rate = ids.length / ((System.nanoTime() - t0) / 1e9);
            best.merge(e.getKey(), rate, Math::max);
            line.append(String.format(Locale.ROOT, " %s %.1f/s;", e.getKey().split(" ")[0], rate));
          }
          System.out.println(line);
        }
        double wall = (System.nanoTime() - wall0) / 1e9;
        double own = (ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
            .getProcessCpuTime() - own0) / 1e9;
        double machine = (machineTicks() - machine0) / 100.0;
        double others = Math.max(0, (machine - own) / wall);
        double peerRate = best.values().iterator().next();
        float[][] reference = vectors.get("libtorch");
        System.out.println("best of 3 rounds (passages/s), ratio to the peer, distance from libtorch's embeddings:");
        for (String engine : engines.keySet()) {
          float[][] v = vectors.get(engine);
          double maxDiff = 0;
          double minCos = 1;
          for (int i = 0; i < v.length; i++) {
            double dot = 0;
            for (int d = 0; d < v[i].length; d++) {
              maxDiff = Math.max(maxDiff, Math.abs(v[i][d] - reference[i][d]));
              dot += v[i][d] * reference[i][d];
            }
            minCos = Math.min(minCos, dot);
          }
          System.out.printf(Locale.ROOT, "  %-34s %7.1f  x%.2f   max diff %.2g, min cosine %.5f%n", engine,
              best.get(engine), best.get(engine) / peerRate, maxDiff, minCos);
        }
        System.out.printf(Locale.ROOT, "other processes used %.2f of %d CPUs on average during the timed rounds%s%n",
            others, threads, others > 0.2 ? ": WARNING, the machine was busy; the ratios are not reliable" : "");
        crossEncoders(dir, texts, batchSize);
      }
    }
  }

  /**
   * Cross-encoder scoring in pairs per second on each engine: a cross-encoder on the model's backbone (its head is new;
   * speed does not depend on its weights), each passage paired with the first 12 words of another as the query.
   */
  private static void crossEncoders(Path encoderDir, List<String> texts, int batchSize) throws Exception {
    Path ceDir = Files.createTempDirectory("quarry-ce-benchmark");
    try {
      try (dev.quarry.rerank.CrossEncoder fresh = dev.quarry.rerank.CrossEncoder.fromEncoder(encoderDir, 192, 1)) {
        fresh.save(ceDir.resolve("ce"));
      }
      List<String> queries = new ArrayList<>();
      for (int i = 0; i < texts.size(); i++) {
        String[] words = texts.get((i + 1) % texts.size()).split("\\s+");
        queries.add(String.join(" ", java.util.Arrays.copyOf(words, Math.min(12, words.length))));
      }
      System.out.printf(Locale.ROOT, "cross-encoder, %d pairs of at most 192 tokens, batch %d (pairs/s, best of 3):%n",
          texts.size(), batchSize);
      double libtorch = 0;
      for (InferenceEngine engine : InferenceEngine.values()) {
        try (dev.quarry.rerank.CrossEncoder ce = dev.quarry.rerank.CrossEncoder.load(ceDir.resolve("ce"), engine)) {
          ce.score(queries, texts, batchSize);
          double best = 0;
          for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            ce.score(queries, texts, batchSize);
            best = Math.max(best, texts.size() / ((System.nanoTime() - t0) / 1e9));
          }
          libtorch = engine == InferenceEngine.LIBTORCH ? best : libtorch;
          System.out.printf(Locale.ROOT, "  %-10s %7.1f  x%.2f of libtorch%n", engine.id(), best, best / libtorch);
        }
      }
    } finally {
      dev.quarry.io.Folders.deleteTree(ceDir);
    }
  }

  private static float[][] run(Engine engine, List<List<long[]>> batches) throws Exception {
    List<float[]> out = new ArrayList<>();
    for (List<long[]> b : batches) {
      out.addAll(List.of(engine.encode(b)));
    }
    return out.toArray(float[][]::new);
  }

  /** CPU time of the whole machine, in clock ticks (user + nice + system + irq + softirq). */
  private static long machineTicks() throws Exception {
    String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
        + Long.parseLong(f[7]);
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
