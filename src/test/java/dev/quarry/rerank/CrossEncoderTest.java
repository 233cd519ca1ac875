package dev.quarry.rerank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.io.JsonLines;
import dev.quarry.loss.RerankLoss;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.ModelDirectory;
import dev.quarry.model.Pooling;
import dev.quarry.model.TinyModels;
import dev.quarry.train.AdamW;
import dev.quarry.train.AdamWConfig;
import dev.quarry.train.GradientBuffers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrossEncoderTest {
  @TempDir
  Path tmp;

  private static final List<String> QUERIES = List.of("what colour are the doors", "capital of poland",
      "what colour are the doors");
  private static final List<String> PASSAGES = List.of("the doors are painted red every spring",
      "warsaw is the capital of poland and its largest city", "an unrelated passage about cats and a long tail");

  @Test
  void pairsAreSegmentedAndOnlyThePassageIsCut() throws Exception {
    Path encoder = TinyModels.create(tmp.resolve("enc"), new EncoderRecipe(Pooling.MEAN, true, "", "", 32, 32), 1);
    try (CrossEncoder ce = CrossEncoder.fromEncoder(encoder, 12, 7)) {
      CrossEncoder.Pairs pairs = ce.tokenize(QUERIES, PASSAGES);
      long[] ids = pairs.ids().get(1);
      long[] types = pairs.types().get(1);
      assertThat(ids).hasSize(12);
      assertThat(ids[0]).isEqualTo(101);   // [CLS]
      assertThat(ids[11]).isEqualTo(102);  // the final [SEP] survives the cut
      int firstPassageToken = 0;
      while (types[firstPassageToken] == 0) {
        firstPassageToken++;
      }
      assertThat(ids[firstPassageToken - 1]).as("[SEP] closes the query segment").isEqualTo(102);
      assertThat(firstPassageToken).as("the whole query is kept: [CLS] capital of poland [SEP]").isEqualTo(5);
    }
  }

  @Test
  void scoreEqualsTheBatchedLogitsAndSurvivesSaveAndLoad() {
    Path encoder = TinyModels.create(tmp.resolve("enc"), new EncoderRecipe(Pooling.MEAN, true, "", "", 32, 32), 1);
    Path saved = tmp.resolve("ce");
    float[] before;
    try (CrossEncoder ce = CrossEncoder.fromEncoder(encoder, 32, 7)) {
      before = ce.score(QUERIES, PASSAGES, 2);
      try (NDManager m = NDManager.newBaseManager()) {
        float[] padded = ce.logits(m, ce.tokenize(QUERIES, PASSAGES), false).toFloatArray();
        for (int i = 0; i < before.length; i++) {
          assertThat(padded[i]).as("padding does not change a logit").isCloseTo(before[i], within(1e-5f));
        }
      }
      assertThat(ce.calibration()).isEqualTo(Calibration.IDENTITY);
      ce.calibrate(new Calibration(0.5, -2, 200, 20));
      ce.save(saved);
    }
    assertThat(CrossEncoder.isCrossEncoder(saved)).isTrue();
    assertThat(CrossEncoder.isCrossEncoder(encoder)).isFalse();
    try (CrossEncoder loaded = CrossEncoder.load(saved)) {
      float[] after = loaded.score(QUERIES, PASSAGES, 3);
      for (int i = 0; i < before.length; i++) {
        assertThat(after[i]).isCloseTo(before[i], within(1e-5f));
      }
      assertThat(loaded.maxLength()).isEqualTo(32);
      assertThat(loaded.calibration()).isEqualTo(new Calibration(0.5, -2, 200, 20));
      assertThat(loaded.probability(4f)).isCloseTo(1 / (1 + Math.exp(0.0)), within(1e-12));
    }
  }

  @Test
  void aFewStepsOfListwiseTrainingRankThePositiveFirst() {
    Path encoder = TinyModels.create(tmp.resolve("enc"), new EncoderRecipe(Pooling.MEAN, true, "", "", 32, 32), 1);
    try (CrossEncoder ce = CrossEncoder.fromEncoder(encoder, 32, 7); NDManager m = NDManager.newBaseManager();
        AdamW adam = new AdamW(ce.weights().parameters(), AdamWConfig.withWeightDecay(0), m)) {
      ce.weights().setTrainable(true);
      List<String> q = List.of("red doors", "red doors", "polish capital", "polish capital");
      List<String> p = List.of("doors painted red", "a cat sleeps", "warsaw is the polish capital", "doors painted red");
      CrossEncoder.Pairs pairs = ce.tokenize(q, p);
      float first = 0;
      float last = 0;
      for (int step = 0; step < 30; step++) {
        try (NDManager s = m.newSubManager(); var gc = Engine.getInstance().newGradientCollector()) {
          NDArray loss = RerankLoss.LISTWISE.loss(ce.logits(s, pairs, false), 2);
          gc.backward(loss);
          last = loss.getFloat();
          first = step == 0 ? last : first;
          adam.step(GradientBuffers.of(ce.weights().parameters(), s), 1e-3);
          GradientBuffers.zero(ce.weights().parameters());
        }
      }
      assertThat(last).isLessThan(first / 4);
    }
  }

  @Test
  void numpyReferenceReadsTheSavedDirectoryAsBertForSequenceClassification() throws Exception {
    Path bundled = ModelDirectory.resolve("all-minilm-l6-v2", tmp.resolve("cache"));
    Path saved = tmp.resolve("ce");
    float[] quarry;
    CrossEncoder.Pairs pairs;
    try (CrossEncoder ce = CrossEncoder.fromEncoder(bundled, 64, 3)) {
      ce.save(saved);
    }
    try (CrossEncoder ce = CrossEncoder.load(saved)) {
      pairs = ce.tokenize(QUERIES, PASSAGES);
      quarry = ce.score(QUERIES, PASSAGES, 3);
    }
    JsonNode config = JsonLines.MAPPER.readTree(saved.resolve("config.json").toFile());
    assertThat(config.path("architectures").get(0).asText()).isEqualTo("BertForSequenceClassification");
    JsonNode reference = dev.quarry.testing.BertReference.logits(saved, pairs.ids(), pairs.types(),
        tmp.resolve("reference"));
    for (int i = 0; i < quarry.length; i++) {
      assertThat((double) quarry[i]).isCloseTo(reference.get(i).asDouble(), within(1e-4));
    }
  }
}
