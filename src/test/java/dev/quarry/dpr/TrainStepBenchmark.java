package dev.quarry.dpr;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.quarry.loss.InfoNceLoss;
import dev.quarry.model.BertModel;
import dev.quarry.model.ModelDirectory;
import dev.quarry.model.TextEncoder;
import dev.quarry.model.Torch;
import dev.quarry.train.AdamW;
import dev.quarry.train.AdamWConfig;
import dev.quarry.train.GradientBuffers;
import dev.quarry.train.GradientClipping;
import dev.quarry.util.QuarryPaths;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Times one DPR training step as {@link DprTrainer} runs it (zero the gradient buffers, forward, InfoNCE loss,
 * backward, clipping to global norm 1, AdamW at lr 2e-5 and weight decay 0.01) on a fixed batch of 32 queries of 32
 * tokens and 64 passages of 128 tokens (two passages per query, no padding), plainly and with gradient caching.
 * {@code scripts/train_step_pytorch.py} runs the same step in PyTorch; {@code bin/benchmark train-step} runs both and
 * prints the ratios. Not a test. Arguments, all optional, as {@code name=value}:
 * <ul>
 *   <li>{@code steps=10} timed steps per row, after {@code warmup=3} untimed ones;</li>
 *   <li>{@code chunks=16}: comma-separated gradient-cache chunk sizes, one row each;</li>
 *   <li>{@code model=all-minilm-l6-v2}; {@code threads=N}: libtorch intra-op threads (default every processor);</li>
 *   <li>{@code ids=FILE}: writes the batch as JSON for the PyTorch script;</li>
 *   <li>{@code breakdown=true}: an extra plain run timed phase by phase;</li>
 *   <li>{@code profile=PREFIX}: libtorch profiler traces (Chrome JSON) of one step of each kind,
 *       {@code PREFIX-plain.json} and {@code PREFIX-cachedN.json}.</li>
 * </ul>
 */
public final class TrainStepBenchmark {
  static final int QUERIES = 32;
  static final int QUERY_TOKENS = 32;
  static final int PASSAGES = 64;
  static final int PASSAGE_TOKENS = 128;
  static final float TEMPERATURE = 0.05f;
  static final double LEARNING_RATE = 2e-5;
  static final double WEIGHT_DECAY = 0.01;
  static final double MAX_GRAD_NORM = 1.0;

  private TrainStepBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int steps = Integer.parseInt(arg(args, "steps", "10"));
    int warmup = Integer.parseInt(arg(args, "warmup", "3"));
    int[] chunkSizes = Arrays.stream(arg(args, "chunks", "16").split(",")).filter(s -> !s.isBlank())
        .mapToInt(Integer::parseInt).toArray();
    String name = arg(args, "model", "all-minilm-l6-v2");
    boolean breakdown = Boolean.parseBoolean(arg(args, "breakdown", "false"));
    String threads = arg(args, "threads", "");
    if (!threads.isEmpty()) {
      System.setProperty("ai.djl.pytorch.num_threads", threads);   // read when the engine loads, below
    }
    Path dir = ModelDirectory.resolve(name, QuarryPaths.cacheRoot());
    try (NDManager root = NDManager.newBaseManager(); TextEncoder encoder = TextEncoder.load(dir)) {
      BertModel model = encoder.model(TextEncoder.Side.PASSAGE);
      model.setTrainable(true);
      int vocab = Math.toIntExact(model.parameters().get("embeddings.word_embeddings.weight").getShape().get(0));
      ContrastiveStep.Batch batch = new ContrastiveStep.Batch(rows(QUERIES, QUERY_TOKENS, vocab, 1),
          rows(PASSAGES, PASSAGE_TOKENS, vocab, 2), InfoNceLoss.groupedPositives(QUERIES, PASSAGES / QUERIES));
      InfoNceLoss loss = new InfoNceLoss(TEMPERATURE);
      ContrastiveStep step = new ContrastiveStep(model, model, encoder.recipe(), loss);
      System.out.printf(Locale.ROOT, "model_dir %s%n", dir.toAbsolutePath());
      System.out.printf(Locale.ROOT, "model %s, %d queries x %d tokens, %d passages x %d tokens, pooling %s, "
              + "normalize %s, temperature %s, lr %s, weight decay %s, clip %s%n", name, QUERIES, QUERY_TOKENS,
          PASSAGES, PASSAGE_TOKENS, encoder.recipe().pooling(), encoder.recipe().normalize(), TEMPERATURE,
          LEARNING_RATE, WEIGHT_DECAY, MAX_GRAD_NORM);
      System.out.printf(Locale.ROOT, "torch intra-op threads %d, available processors %d, warmup %d, steps %d%n",
          Torch.threads(), Runtime.getRuntime().availableProcessors(), warmup, steps);
      String ids = arg(args, "ids", "");
      if (!ids.isEmpty()) {
        writeIds(Path.of(ids), batch);
      }
      // the loss at the initial weights without dropout: the PyTorch script prints the same number on the same ids
      try (NDManager m = root.newSubManager()) {
        float initial = Torch.withoutGrad(() -> loss.loss(step.embed(model, m, batch.queries(), false),
            step.embed(model, m, batch.passages(), false), batch.positives()).getFloat());
        System.out.printf(Locale.ROOT, "initial loss (no dropout) %.6f%n", initial);
      }
      try (AdamW optimizer = new AdamW(model.parameters(), AdamWConfig.withWeightDecay(WEIGHT_DECAY), root)) {
        long[] seed = {0};
        run("plain", warmup, steps, () -> {
          float l = trainStep(root, model, optimizer,
              () -> step.plain(root, batch, true, seed[0]++));
          check(l);
        });
        for (int chunk : chunkSizes) {
          run("cached chunk " + chunk, warmup, steps, () -> {
            float l = trainStep(root, model, optimizer,
                () -> step.cached(root, batch, chunk, true, seed[0]++));
            check(l);
          });
        }
        String profile = arg(args, "profile", "");
        if (!profile.isEmpty()) {
          // one plain step under libtorch's autograd profiler: a Chrome trace of every op (per-op totals: see
          // scripts/train_step_pytorch.py --profile for the same table on the PyTorch side)
          ai.djl.pytorch.jni.JniUtils.startProfile(false, true, false);
          trainStep(root, model, optimizer, () -> step.plain(root, batch, true, seed[0]++));
          ai.djl.pytorch.jni.JniUtils.stopProfile(profile + "-plain.json");
          for (int chunk : chunkSizes) {
            ai.djl.pytorch.jni.JniUtils.startProfile(false, true, false);
            trainStep(root, model, optimizer, () -> step.cached(root, batch, chunk, true, seed[0]++));
            ai.djl.pytorch.jni.JniUtils.stopProfile(profile + "-cached" + chunk + ".json");
          }
          System.out.println("profiles of one step each written to " + profile + "-*.json");
        }
        if (breakdown) {
          breakdown(root, model, step, loss, optimizer, batch, warmup, steps);
        }
      }
    }
  }

  /** One step exactly as {@link DprTrainer} takes it, with a constant learning rate; returns the loss. */
  static float trainStep(NDManager root, BertModel model, AdamW optimizer, LossStep lossStep) {
    GradientBuffers.zero(model.parameters());
    float loss = lossStep.run();
    try (NDManager scope = root.newSubManager()) {
      Map<String, NDArray> grads = GradientBuffers.of(model.parameters(), scope);
      double norm = GradientClipping.clipByGlobalNorm(grads, MAX_GRAD_NORM);
      if (Double.isFinite(norm) && Float.isFinite(loss)) {
        optimizer.step(grads, LEARNING_RATE);
      }
    }
    return loss;
  }

  interface LossStep {
    float run();
  }

  /** The plain step again, each phase timed on its own: where the time goes. */
  private static void breakdown(NDManager root, BertModel model, ContrastiveStep step, InfoNceLoss loss,
      AdamW optimizer, ContrastiveStep.Batch batch, int warmup, int steps) {
    String[] phases = {"zero grads", "forward q", "forward p", "loss", "backward", "clip", "adamw", "total"};
    List<double[]> timed = new ArrayList<>();
    for (int i = 0; i < warmup + steps; i++) {
      double[] t = new double[phases.length];
      long t0 = System.nanoTime();
      GradientBuffers.zero(model.parameters());
      long t1 = System.nanoTime();
      float value;
      long t2;
      long t3;
      long t4;
      long t5;
      try (NDManager m = root.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        Engine.getInstance().setRandomSeed(1000 + i);
        NDArray q = step.embed(model, m, batch.queries(), true);
        t2 = System.nanoTime();
        NDArray p = step.embed(model, m, batch.passages(), true);
        t3 = System.nanoTime();
        NDArray l = loss.loss(q, p, batch.positives());
        value = l.getFloat();
        t4 = System.nanoTime();
        gc.backward(l);
        t5 = System.nanoTime();
      }
      check(value);
      long t6;
      long t7;
      try (NDManager scope = root.newSubManager()) {
        Map<String, NDArray> grads = GradientBuffers.of(model.parameters(), scope);
        GradientClipping.clipByGlobalNorm(grads, MAX_GRAD_NORM);
        t6 = System.nanoTime();
        optimizer.step(grads, LEARNING_RATE);
        t7 = System.nanoTime();
      }
      long[] marks = {t0, t1, t2, t3, t4, t5, t6, t7};
      for (int k = 0; k < phases.length - 1; k++) {
        t[k] = (marks[k + 1] - marks[k]) / 1e9;
      }
      t[phases.length - 1] = (t7 - t0) / 1e9;
      if (i >= warmup) {
        timed.add(t);
      }
    }
    // forward of the whole batch with no graph (inference), for comparison with the recorded forward
    List<Double> inference = new ArrayList<>();
    for (int i = 0; i < warmup + steps; i++) {
      long t0 = System.nanoTime();
      try (NDManager m = root.newSubManager()) {
        Torch.withoutGrad(() -> {
          step.embed(model, m, batch.queries(), true);
          return step.embed(model, m, batch.passages(), true);
        });
      }
      if (i >= warmup) {
        inference.add((System.nanoTime() - t0) / 1e9);
      }
    }
    System.out.println("breakdown of the plain step (seconds, median / mean over " + steps + " steps):");
    for (int k = 0; k < phases.length; k++) {
      int col = k;
      double[] xs = timed.stream().mapToDouble(t -> t[col]).toArray();
      System.out.printf(Locale.ROOT, "  %-12s %8.4f / %8.4f%n", phases[k], median(xs), mean(xs));
    }
    double[] inf = inference.stream().mapToDouble(Double::doubleValue).toArray();
    System.out.printf(Locale.ROOT, "  %-12s %8.4f / %8.4f  (forward q+p without a graph, dropout on)%n",
        "no-grad fwd", median(inf), mean(inf));
  }

  /** The batch as JSON, {@code {"queries": [[ids]], "passages": [[ids]], "positives": [rows]}}. */
  private static void writeIds(Path file, ContrastiveStep.Batch batch) throws java.io.IOException {
    var o = dev.quarry.io.JsonLines.MAPPER.createObjectNode();
    for (String side : List.of("queries", "passages")) {
      var rows = o.putArray(side);
      for (long[] r : side.equals("queries") ? batch.queries() : batch.passages()) {
        var row = rows.addArray();
        Arrays.stream(r).forEach(row::add);
      }
    }
    var pos = o.putArray("positives");
    Arrays.stream(batch.positives()).forEach(pos::add);
    java.nio.file.Files.writeString(file, dev.quarry.io.JsonLines.MAPPER.writeValueAsString(o));
  }

  private static void run(String label, int warmup, int steps, Runnable step) {
    for (int i = 0; i < warmup; i++) {
      step.run();
    }
    double[] seconds = new double[steps];
    double[] others = new double[steps];
    for (int i = 0; i < steps; i++) {
      double machine0 = machineBusySeconds();
      long own0 = processCpuNanos();
      long t0 = System.nanoTime();
      step.run();
      seconds[i] = (System.nanoTime() - t0) / 1e9;
      others[i] = (machineBusySeconds() - machine0 - (processCpuNanos() - own0) / 1e9) / seconds[i];
    }
    double free = Runtime.getRuntime().availableProcessors() - Torch.threads() + QUIET_CPUS;
    double[] quiet = java.util.stream.IntStream.range(0, steps).filter(i -> others[i] < free)
        .mapToDouble(i -> seconds[i]).toArray();
    System.out.printf(Locale.ROOT, "%-16s median %.4f s/step, mean %.4f s/step, min %.4f, max %.4f (%d steps); "
            + "other processes used %.2f CPUs (median); quiet steps %d, median %.4f s/step%n", label + ":",
        median(seconds), mean(seconds), Arrays.stream(seconds).min().orElse(0),
        Arrays.stream(seconds).max().orElse(0), steps, median(others), quiet.length, median(quiet));
  }

  /**
   * A step is quiet when other processes left this step's threads their CPUs: they used less than the spare
   * processors plus this many CPUs on average while it ran.
   */
  static final double QUIET_CPUS = 0.1;

  /** CPU time of the whole process (every thread: libtorch's pool, the JVM's), in nanoseconds. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /**
   * Busy CPU seconds of the whole machine since boot (user, nice, system, irq, softirq in /proc/stat, at Linux's fixed
   * 100 ticks per second), or NaN where there is no /proc/stat.
   */
  private static double machineBusySeconds() {
    try {
      String[] f = java.nio.file.Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long ticks = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
          + Long.parseLong(f[7]);
      return ticks / 100.0;
    } catch (java.io.IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private static void check(float loss) {
    if (!Float.isFinite(loss)) {
      throw new IllegalStateException("non-finite loss " + loss);
    }
  }

  /** {@code count} rows of exactly {@code length} ids: [CLS], random ids in [1000, vocab), [SEP]; seeded. */
  static List<long[]> rows(int count, int length, int vocab, long seed) {
    Random random = new Random(seed);
    List<long[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long[] ids = new long[length];
      ids[0] = 101;
      for (int j = 1; j < length - 1; j++) {
        ids[j] = 1000 + random.nextInt(vocab - 1000);
      }
      ids[length - 1] = 102;
      out.add(ids);
    }
    return out;
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  static double mean(double[] xs) {
    return Arrays.stream(xs).average().orElse(Double.NaN);
  }

  private static String arg(String[] args, String name, String fallback) {
    for (String a : args) {
      if (a.startsWith(name + "=")) {
        return a.substring(name.length() + 1);
      }
    }
    return fallback;
  }
}
