package dev.quarry.condenser;

import ai.djl.ndarray.NDManager;
import dev.quarry.data.Passage;
import dev.quarry.loss.InfoNceLoss;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.ModelDirectory;
import dev.quarry.model.Pooling;
import dev.quarry.model.TinyModels;
import dev.quarry.random.SplitMix64;
import dev.quarry.testing.GarbageCollectorStress;
import dev.quarry.train.GradientBuffers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * coCondenser's step: gradient caching gives the plain step's loss and gradients (dropout replayed), the head's MLM
 * loss reaches the early layers only through the head, and every part of the loss moves the parameters.
 */
class CondenserStepTest {
  @TempDir
  Path tmp;
  CondenserModel model;
  MaskedSpans batch;
  CondenserConfig config = new CondenserConfig(1, 2, 12, 4, 0.15, 1.0, 1.0);

  private void setUp(Pooling pooling) {
    EncoderRecipe recipe = new EncoderRecipe(pooling, pooling == Pooling.MEAN, "", "", 32, 32);
    Path dir = TinyModels.create(tmp.resolve("m"), recipe, 11);
    model = CondenserModel.load(dir, recipe, config, 3);
    model.setTrainable(true);
    List<Passage> corpus = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      corpus.add(new Passage("d" + i, "Title " + i, "a passage about topic " + i + " with several more words in it "
          + "so that spans differ from each other"));
    }
    Path tokenizer = dir.resolve(ModelDirectory.TOKENIZER);
    batch = new SpanSampler(corpus, tokenizer, SpecialTokens.read(tokenizer), config)
        .sample(new int[] {0, 1, 2, 3, 4}, new SplitMix64(9));
  }

  @BeforeEach
  void meanPooling() {
    setUp(Pooling.MEAN);
  }

  @AfterEach
  void tearDown() {
    model.close();
  }

  private Map<String, float[]> gradientsOf(Supplier<CondenserStep.Losses> run, CondenserStep.Losses[] out) {
    GradientBuffers.zero(model.parameters());
    out[0] = run.get();
    return GradientBuffers.copy(model.parameters());
  }

  /**
   * The largest difference between two gradients, relative to the gradient where it exceeds 1 in magnitude: float
   * rounding of a gradient of 128 is 2^-16 (1.5e-5), which is equality, not a replay error (a wrong mask moves
   * gradients by orders of magnitude more).
   */
  private static double maxDifference(Map<String, float[]> a, Map<String, float[]> b) {
    double max = 0;
    for (String name : a.keySet()) {
      for (int i = 0; i < a.get(name).length; i++) {
        double d = Math.abs(a.get(name)[i] - b.get(name)[i]) / Math.max(1, Math.abs(a.get(name)[i]));
        max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(max, d);
      }
    }
    return max;
  }

  @ParameterizedTest(name = "pooling {0}")
  @EnumSource(value = Pooling.class, names = {"MEAN", "CLS"})
  void cachedEqualsPlainWithDropoutReplayed(Pooling pooling) {
    model.close();
    setUp(pooling);
    CondenserStep step = new CondenserStep(model, config, new InfoNceLoss(0.05f));
    try (NDManager m = NDManager.newBaseManager()) {
      CondenserStep.Losses[] plain = new CondenserStep.Losses[1];
      CondenserStep.Losses[] cached = new CondenserStep.Losses[1];
      Map<String, float[]> a = gradientsOf(() -> step.plain(m, batch, 4, true, 7), plain);
      Map<String, float[]> b = GarbageCollectorStress.during(
          () -> gradientsOf(() -> step.cached(m, batch, 4, true, 7), cached));
      assertThat(cached[0].total()).isCloseTo(plain[0].total(), within(1e-5f));
      assertThat(cached[0].contrastive()).isCloseTo(plain[0].contrastive(), within(1e-5f));
      assertThat(cached[0].mlmHead()).isCloseTo(plain[0].mlmHead(), within(1e-5f));
      assertThat(maxDifference(a, b)).as("max gradient difference (relative above 1)").isLessThan(1e-5);
      // the tie: the MLM decoder is the word embedding matrix, and the fresh head and transform all get gradients
      assertThat(max(a.get("embeddings.word_embeddings.weight"))).isPositive();
      // rows of the embedding matrix for pieces in no span get a gradient only through the tied MLM decoder (the
      // softmax over the vocabulary reaches every row): an untied decoder would leave them exactly 0
      int hidden = model.backbone().config().hiddenSize();
      float[] words = a.get("embeddings.word_embeddings.weight");
      java.util.Set<Long> used = new java.util.HashSet<>();
      batch.inputIds().forEach(ids -> java.util.Arrays.stream(ids).forEach(used::add));
      long unused = 1000;
      while (used.contains(unused)) {
        unused++;
      }
      assertThat(max(java.util.Arrays.copyOfRange(words, (int) unused * hidden, (int) (unused + 1) * hidden)))
          .as("gradient of the embedding row of piece %d, in no span", unused).isPositive();
      assertThat(max(a.get(CondenserModel.HEAD_PREFIX + "1.output.dense.weight"))).isPositive();
      assertThat(max(a.get(CondenserModel.MLM_PREFIX + "transform.dense.weight"))).isPositive();
      // another seed draws other dropout masks: the equality above is not vacuous
      CondenserStep.Losses other = step.cached(m, batch, 4, true, 8);
      assertThat(other.total()).isNotCloseTo(plain[0].total(), within(1e-4f));
    }
  }

  @Test
  void withoutTheContrastiveLossTheLateLayersLearnOnlyThroughMlm() {
    CondenserConfig mlmOnly = new CondenserConfig(1, 2, 12, 4, 0.15, 1.0, 0.0);
    CondenserStep step = new CondenserStep(model, mlmOnly, new InfoNceLoss(0.05f));
    try (NDManager m = NDManager.newBaseManager()) {
      CondenserStep.Losses[] plain = new CondenserStep.Losses[1];
      CondenserStep.Losses[] cached = new CondenserStep.Losses[1];
      Map<String, float[]> a = gradientsOf(() -> step.plain(m, batch, 10, false, 1), plain);
      Map<String, float[]> b = gradientsOf(() -> step.cached(m, batch, 3, false, 1), cached);
      assertThat(plain[0].contrastive()).isZero();
      assertThat(plain[0].total()).isCloseTo(plain[0].mlmBackbone() + plain[0].mlmHead(), within(1e-5f));
      // an untrained MLM layer over 30,522 pieces: cross-entropy near ln(30522) = 10.3
      assertThat(plain[0].mlmHead()).isBetween(8f, 13f);
      assertThat(maxDifference(a, b)).isLessThan(1e-5);
    }
  }

  private static double max(float[] v) {
    double m = 0;
    for (float x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }
}
