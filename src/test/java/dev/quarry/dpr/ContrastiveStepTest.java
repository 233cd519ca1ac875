package dev.quarry.dpr;

import ai.djl.ndarray.NDManager;
import dev.quarry.loss.InfoNceLoss;
import dev.quarry.model.BertModel;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.ModelDirectory;
import dev.quarry.model.Pooling;
import dev.quarry.model.Safetensors;
import dev.quarry.model.TinyModels;
import dev.quarry.testing.GarbageCollectorStress;
import dev.quarry.train.DistillationConfig;
import dev.quarry.train.GradientBuffers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Gradient caching (and so cross-batch negatives, whose replicas are its chunks) gives the loss and parameter
 * gradients of the plain step, to 1e-5, with dropout off, and with dropout on when both draw the same masks.
 */
class ContrastiveStepTest {
  @TempDir
  Path tmp;
  NDManager manager;
  BertModel model;
  ContrastiveStep step;
  ContrastiveStep.Batch batch;

  @BeforeEach
  void setUp() {
    EncoderRecipe recipe = new EncoderRecipe(Pooling.MEAN, true, "", "", 32, 32);
    Path dir = TinyModels.create(tmp.resolve("m"), recipe, 11);
    manager = NDManager.newBaseManager();
    model = BertModel.of(ModelDirectory.config(dir), Safetensors.read(dir.resolve(ModelDirectory.WEIGHTS)), manager);
    model.setTrainable(true);
    step = new ContrastiveStep(model, model, recipe, new InfoNceLoss(0.05f));
    Random r = new Random(5);
    List<long[]> queries = new ArrayList<>();
    List<long[]> passages = new ArrayList<>();
    for (int q = 0; q < 6; q++) {
      queries.add(tokens(r, 4 + r.nextInt(6)));
      passages.add(tokens(r, 8 + r.nextInt(12)));   // positive
      passages.add(tokens(r, 8 + r.nextInt(12)));   // hard negative
    }
    batch = new ContrastiveStep.Batch(queries, passages, InfoNceLoss.groupedPositives(6, 2));
  }

  @AfterEach
  void tearDown() {
    model.close();
    manager.close();
  }

  private static long[] tokens(Random r, int n) {
    long[] ids = new long[n];
    ids[0] = 101;
    for (int i = 1; i < n - 1; i++) {
      ids[i] = 1000 + r.nextInt(20000);
    }
    ids[n - 1] = 102;
    return ids;
  }

  private Map<String, float[]> gradientsOf(Supplier<Float> run, float[] lossOut) {
    GradientBuffers.zero(model.parameters());
    lossOut[0] = run.get();
    return GradientBuffers.copy(model.parameters());
  }

  private static void assertClose(Map<String, float[]> a, Map<String, float[]> b, double tolerance) {
    assertThat(a.keySet()).isEqualTo(b.keySet());
    double maxAbs = 0;
    for (String name : a.keySet()) {
      for (int i = 0; i < a.get(name).length; i++) {
        double d = Math.abs(a.get(name)[i] - b.get(name)[i]);
        maxAbs = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(maxAbs, d);
      }
    }
    assertThat(maxAbs).as("max |gradient difference|").isLessThan(tolerance);
  }

  private static double norm(Map<String, float[]> g) {
    double s = 0;
    for (float[] v : g.values()) {
      for (float x : v) {
        s += x * x;
      }
    }
    return Math.sqrt(s);
  }

  @Test
  void cachedEqualsPlainWithoutDropout() {
    float[] plainLoss = new float[1];
    float[] cachedLoss = new float[1];
    Map<String, float[]> plain = gradientsOf(() -> step.plain(manager, batch, false, 1), plainLoss);
    Map<String, float[]> cached = gradientsOf(() -> step.cached(manager, batch, 4, false, 1), cachedLoss);
    assertThat(norm(plain)).as("gradients are not trivially zero").isGreaterThan(1e-3);
    assertThat(cachedLoss[0]).isCloseTo(plainLoss[0], within(1e-5f));
    assertClose(plain, cached, 1e-5);
  }

  @Test
  void cachedReplaysDropoutBetweenItsTwoPasses() {
    float[] refLoss = new float[1];
    float[] cachedLoss = new float[1];
    float[] otherLoss = new float[1];
    Map<String, float[]> reference = gradientsOf(() -> step.plainChunked(manager, batch, 4, true, 7), refLoss);
    Map<String, float[]> cached = gradientsOf(() -> step.cached(manager, batch, 4, true, 7), cachedLoss);
    assertThat(cachedLoss[0]).isCloseTo(refLoss[0], within(1e-5f));
    assertClose(reference, cached, 1e-5);
    // other seeds draw other masks: the comparison above is not vacuous
    Map<String, float[]> other = gradientsOf(() -> step.cached(manager, batch, 4, true, 8), otherLoss);
    assertThat(otherLoss[0]).isNotCloseTo(refLoss[0], within(1e-4f));
  }

  @Test
  void cachedEqualsPlainEvenWhereTheThreadRecordsGradientsByDefault() {
    // libtorch's grad mode is per thread and on by default; only the engine-loading thread starts with it off
    boolean before = ai.djl.pytorch.jni.JniUtils.isGradMode();
    ai.djl.pytorch.jni.JniUtils.setGradMode(true);
    try {
      float[] plainLoss = new float[1];
      float[] cachedLoss = new float[1];
      Map<String, float[]> plain = gradientsOf(() -> step.plain(manager, batch, false, 1), plainLoss);
      Map<String, float[]> cached = gradientsOf(() -> step.cached(manager, batch, 4, false, 1), cachedLoss);
      assertClose(plain, cached, 1e-5);
    } finally {
      ai.djl.pytorch.jni.JniUtils.setGradMode(before);
    }
  }

  @Test
  void gradientsSurviveTheGarbageCollectorRunningMidStep() {
    // a regression test: DJL's x.div(2f) and friends left backward reading a buffer the collector frees; with the
    // collector running beside the step this failed on every step (NaN and 1e25 gradients, the loss unchanged)
    float[] quietLoss = new float[1];
    Map<String, float[]> quiet = gradientsOf(() -> step.plain(manager, batch, false, 1), quietLoss);
    for (int i = 0; i < 3; i++) {
      float[] plainLoss = new float[1];
      float[] cachedLoss = new float[1];
      Map<String, float[]> plain = GarbageCollectorStress.during(
          () -> gradientsOf(() -> step.plain(manager, batch, false, 1), plainLoss));
      Map<String, float[]> cached = GarbageCollectorStress.during(
          () -> gradientsOf(() -> step.cached(manager, batch, 4, false, 1), cachedLoss));
      assertClose(quiet, plain, 1e-5);
      assertClose(quiet, cached, 1e-5);
      assertThat(cachedLoss[0]).isCloseTo(quietLoss[0], within(1e-5f));
    }
  }

  @Test
  void oneChunkPerReplicaEqualsOneBigBatch() {
    // cross-batch negatives: 3 "replicas" of 2 queries (and their 4 passages) each, one pool, one loss
    float[] big = new float[1];
    float[] replicas = new float[1];
    Map<String, float[]> one = gradientsOf(() -> step.plain(manager, batch, false, 3), big);
    Map<String, float[]> three = gradientsOf(() -> step.cached(manager, batch, 2, false, 3), replicas);
    assertThat(replicas[0]).isCloseTo(big[0], within(1e-5f));
    assertClose(one, three, 1e-5);
  }

  /** The batch with teacher scores over each query's positive and hard negative. */
  private ContrastiveStep.Batch distilled() {
    int[][] rows = new int[6][];
    float[][] teacher = new float[6][];
    Random r = new Random(9);
    for (int q = 0; q < 6; q++) {
      rows[q] = new int[] {2 * q, 2 * q + 1};
      teacher[q] = new float[] {(float) r.nextGaussian() * 3, (float) r.nextGaussian() * 3};
    }
    return new ContrastiveStep.Batch(batch.queries(), batch.passages(), batch.positives(), batch.excluded(),
        new ContrastiveStep.Distillation(rows, teacher));
  }

  @Test
  void cachedEqualsPlainWithDistillationAloneAndAddedToTheContrastiveLoss() {
    EncoderRecipe recipe = new EncoderRecipe(Pooling.MEAN, true, "", "", 32, 32);
    ContrastiveStep.Batch distilled = distilled();
    for (DistillationConfig config : List.of(new DistillationConfig(2, 0.5, true),
        new DistillationConfig(1, 1, false))) {
      ContrastiveStep withTeacher = new ContrastiveStep(model, model, recipe, new InfoNceLoss(0.05f),
          config);
      float[] plainLoss = new float[1];
      float[] cachedLoss = new float[1];
      float[] infoNce = new float[1];
      Map<String, float[]> plain = gradientsOf(() -> withTeacher.plain(manager, distilled, false, 1), plainLoss);
      Map<String, float[]> cached = gradientsOf(() -> withTeacher.cached(manager, distilled, 4, false, 1), cachedLoss);
      Map<String, float[]> contrastive = gradientsOf(() -> step.plain(manager, batch, false, 1), infoNce);
      assertThat(cachedLoss[0]).as(config.toString()).isCloseTo(plainLoss[0], within(1e-5f));
      assertClose(plain, cached, 1e-5);
      // the teacher changes the loss and the gradients: the comparison is not the plain InfoNCE one again
      assertThat(plainLoss[0]).as(config.toString()).isNotCloseTo(infoNce[0], within(1e-3f));
      assertThat(Math.abs(norm(plain) - norm(contrastive))).isGreaterThan(1e-4);
    }
  }

  @Test
  void distillationLossIsTheKlDivergenceOfTheTeacherFromTheStudent() {
    float[][] q = {{0.6f, 0.8f}, {1, 0}};
    float[][] p = {{1, 0}, {0, 1}, {0.6f, -0.8f}};
    int[][] rows = {{0, 1, 2}, {2, 0, 1}};
    float[][] teacher = {{2, 1, -1}, {0.5f, 0.5f, 3}};
    double studentT = 0.5;
    double teacherT = 2;
    double expected = 0;
    for (int i = 0; i < 2; i++) {
      double[] s = new double[3];
      double[] t = new double[3];
      for (int j = 0; j < 3; j++) {
        s[j] = (q[i][0] * p[rows[i][j]][0] + q[i][1] * p[rows[i][j]][1]) / studentT;
        t[j] = teacher[i][j] / teacherT;
      }
      double zs = Math.log(Math.exp(s[0]) + Math.exp(s[1]) + Math.exp(s[2]));
      double zt = Math.log(Math.exp(t[0]) + Math.exp(t[1]) + Math.exp(t[2]));
      for (int j = 0; j < 3; j++) {
        double pt = Math.exp(t[j] - zt);
        expected += pt * ((t[j] - zt) - (s[j] - zs));
      }
    }
    expected /= 2;
    try (NDManager m = NDManager.newBaseManager()) {
      float value = new dev.quarry.loss.DistillationLoss((float) studentT, teacherT)
          .loss(m.create(q), m.create(p), rows, teacher).getFloat();
      assertThat((double) value).isCloseTo(expected, within(1e-6));
      assertThat(expected).isGreaterThan(0.01);
      // a student that agrees with the teacher has no divergence
      assertThat(new dev.quarry.loss.DistillationLoss(1, 1).loss(m.create(new float[][] {{1, 0}}),
          m.create(new float[][] {{2, 0}, {1, 0}, {0, 0}}), new int[][] {{0, 1, 2}}, new float[][] {{2, 1, 0}})
          .getFloat()).isCloseTo(0f, within(1e-6f));
    }
  }
}
