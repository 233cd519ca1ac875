package dev.quarry.dpr;

import dev.quarry.io.DataFormatException;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.Pooling;
import dev.quarry.train.DevEvaluation;
import dev.quarry.train.DevSplitConfig;
import dev.quarry.train.DistillationConfig;
import dev.quarry.train.GradientCacheConfig;
import dev.quarry.train.TrainingConfig;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainConfigLoaderTest {
  private static final Path FILE = Path.of("scifact-dpr.yaml");

  private static final String FULL = """
      model:
        name: all-minilm-l6-v2
        shared_towers: false
        query_max_length: 64
        passage_max_length: 192
      data:
        train: runs/scifact-groups.jsonl
        dev:
          queries: 50
          seed: 7
        negatives_per_query: 2
        max_train_queries: 500
      training:
        epochs: 3
        batch_size: 32
        learning_rate: 2e-5
        warmup_ratio: 0.1
        weight_decay: 0.0
        max_grad_norm: 0
        temperature: 0.02
        seed: 42
        gradient_cache:
          enabled: true
          chunk_size: 16
        checkpoint_every: 100
        dev_evaluation: last_epoch
      """;

  private static final String MINIMAL = """
      model:
        name: models/mine
      data:
        train: groups.jsonl
      training:
        epochs: 1
        batch_size: 8
        learning_rate: 1.0e-5
        warmup_ratio: 0
        seed: 1
        checkpoint_every: 10
      """;

  @TempDir
  Path tmp;

  @Test
  void readsEveryKey() throws Exception {
    Path file = tmp.resolve("full.yaml");
    Files.writeString(file, FULL);
    TrainConfig c = TrainConfigLoader.load(file);
    assertThat(c.model()).isEqualTo(new ModelConfig("all-minilm-l6-v2", false, OptionalInt.of(64),
        OptionalInt.of(192)));
    assertThat(c.data()).isEqualTo(new DataConfig(Path.of("runs/scifact-groups.jsonl"), new DevSplitConfig(50, 7), 2,
        OptionalInt.of(500)));
    assertThat(c.training()).isEqualTo(new TrainingConfig(3, 32, 2e-5, 0.1, 0.0, 0, 0.02, 42,
        new GradientCacheConfig(true, 16), 100, DevEvaluation.LAST_EPOCH));
    assertThat(c.training().clipsGradients()).isFalse();
  }

  @Test
  void readsAnAnceSectionWithItsDefaultsAndLeavesADprConfigsHashAlone() {
    TrainConfig dpr = TrainConfigLoader.parse(MINIMAL, FILE);
    assertThat(dpr.ance()).isEmpty();
    assertThat(dpr.toJson().has("ance")).as("DPR checkpoints made before ANCE existed still resume").isFalse();
    TrainConfig ance = TrainConfigLoader.parse(MINIMAL + """
        ance:
          refresh_every: 20
          max_gap: 10
          rank_to: 50
        """, FILE);
    assertThat(ance.ance()).contains(new dev.quarry.ance.AnceConfig(20, 10, 200, 1, 50, 1,
        dev.quarry.index.IndexType.FLAT, "cpu", 64));
    assertThat(ance.sha256()).isNotEqualTo(dpr.sha256());
    assertThatThrownBy(() -> TrainConfigLoader.parse(MINIMAL + """
        ance:
          refresh_every: 20
          max_gap: 10
          rank_from: 60
          rank_to: 50
        """, FILE)).isInstanceOf(DataFormatException.class).hasMessageContaining("scifact-dpr.yaml")
        .hasMessageContaining("rank_from <= rank_to");
    assertThatThrownBy(() -> TrainConfigLoader.parse(MINIMAL + """
        ance:
          refresh_every: 20
          max_gap: 10
          rank_to: 50
          index: annoy
        """, FILE)).hasMessageContaining("ance.index must be one of [flat, hnsw]");
  }

  @Test
  void readsADistillationSectionAndLeavesTheHashOfConfigsWithoutOneAlone() {
    TrainConfig dpr = TrainConfigLoader.parse(MINIMAL, FILE);
    assertThat(dpr.distillation()).isEmpty();
    assertThat(dpr.distillationOrOff()).isEqualTo(DistillationConfig.OFF);
    assertThat(dpr.toJson().has("distillation")).as("checkpoints made before distillation existed still resume")
        .isFalse();
    TrainConfig distilled = TrainConfigLoader.parse(MINIMAL + "distillation: {weight: 0.5}\n", FILE);
    assertThat(distilled.distillation()).hasValue(new DistillationConfig(0.5, 1.0, true));
    assertThat(distilled.sha256()).isNotEqualTo(dpr.sha256());
    assertThat(TrainConfigLoader.parse(MINIMAL + "distillation: {weight: 2, teacher_temperature: 0.5, "
        + "contrastive: false}\n", FILE).distillation()).hasValue(new DistillationConfig(2, 0.5, false));
    assertThatThrownBy(() -> TrainConfigLoader.parse(MINIMAL + "distillation: {teacher_temperature: 2}\n", FILE))
        .hasMessageContaining("distillation.weight");
    assertThatThrownBy(() -> TrainConfigLoader.parse(MINIMAL + "distillation: {weight: 0, contrastive: false}\n",
        FILE)).hasMessageContaining("nothing is trained").hasMessageContaining("scifact-dpr.yaml");
    assertThatThrownBy(() -> TrainConfigLoader.parse(MINIMAL + "distillation: {weight: 1, teacher_temperature: 0}\n",
        FILE)).hasMessageContaining("teacher_temperature must be positive");
  }

  @Test
  void fillsDefaults() {
    TrainConfig c = TrainConfigLoader.parse(MINIMAL, FILE);
    assertThat(c.model()).isEqualTo(new ModelConfig("models/mine", true, OptionalInt.empty(), OptionalInt.empty()));
    assertThat(c.data().dev()).isEqualTo(new DevSplitConfig(100, 13));
    assertThat(c.data().negativesPerQuery()).isEqualTo(1);
    assertThat(c.data().maxTrainQueries()).isEmpty();
    TrainingConfig t = c.training();
    assertThat(t.weightDecay()).isEqualTo(0.01);
    assertThat(t.maxGradNorm()).isEqualTo(1.0);
    assertThat(t.temperature()).isEqualTo(0.05);
    assertThat(t.gradientCache()).isEqualTo(GradientCacheConfig.DISABLED);
    assertThat(t.devEvaluation()).isEqualTo(DevEvaluation.EVERY_EPOCH);
    assertThat(t.clipsGradients()).isTrue();
  }

  @Test
  void toJsonReadsBackEqualAndHashesStably() {
    TrainConfig full = TrainConfigLoader.parse(FULL, FILE);
    TrainConfig minimal = TrainConfigLoader.parse(MINIMAL, FILE);
    assertThat(TrainConfigLoader.parse(full.toJson().toString(), FILE)).isEqualTo(full);
    assertThat(TrainConfigLoader.parse(minimal.toJson().toString(), FILE)).isEqualTo(minimal);
    assertThat(full.sha256()).hasSize(64).isEqualTo(TrainConfigLoader.parse(FULL, FILE).sha256())
        .isNotEqualTo(minimal.sha256());
    TrainConfig otherSeed = TrainConfigLoader.parse(FULL.replace("seed: 42", "seed: 43"), FILE);
    assertThat(otherSeed.sha256()).isNotEqualTo(full.sha256());
  }

  @Test
  void recipeOverridesOnlyTheGivenLengths() {
    EncoderRecipe recipe = new EncoderRecipe(Pooling.MEAN, true, "query: ", "passage: ", 512, 512);
    ModelConfig m = new ModelConfig("e5-small-v2", true, OptionalInt.empty(), OptionalInt.of(192));
    assertThat(m.applyTo(recipe)).isEqualTo(new EncoderRecipe(Pooling.MEAN, true, "query: ", "passage: ", 512, 192));
  }

  @Test
  void unknownKeysNameTheFullPathAndTheKnownKeys() {
    assertError(FULL.replace("learning_rate:", "lerning_rate:"), "scifact-dpr.yaml: unknown key "
        + "training.lerning_rate (known: epochs, batch_size, learning_rate, warmup_ratio, weight_decay, "
        + "max_grad_norm, temperature, seed, gradient_cache, checkpoint_every, dev_evaluation)");
    assertError(FULL + "optimizer: adamw\n",
        "scifact-dpr.yaml: unknown key optimizer (known: model, data, training, ance, distillation)");
    assertError(FULL.replace("  shared_towers:", "  shared_tower:"), "scifact-dpr.yaml: unknown key "
        + "model.shared_tower (known: name, shared_towers, query_max_length, passage_max_length)");
    assertError(FULL.replace("    seed: 7", "    sed: 7"),
        "scifact-dpr.yaml: unknown key data.dev.sed (known: queries, seed)");
    assertError(FULL.replace("chunk_size:", "chunk:"),
        "scifact-dpr.yaml: unknown key training.gradient_cache.chunk (known: enabled, chunk_size)");
  }

  @Test
  void missingKeysAndSectionsAreNamed() {
    assertError(MINIMAL.replace("  epochs: 1\n", ""), "scifact-dpr.yaml: missing key training.epochs");
    assertError(FULL.replace("  name: all-minilm-l6-v2\n", ""), "scifact-dpr.yaml: missing key model.name");
    assertError(MINIMAL.replace("  name: models/mine\n", ""),
        "scifact-dpr.yaml: model must be a mapping, found nothing (null)");
    assertError(MINIMAL.replace("data:\n  train: groups.jsonl\n", ""), "scifact-dpr.yaml: missing section data");
    assertError(MINIMAL + "  gradient_cache:\n    enabled: true\n", "scifact-dpr.yaml: "
        + "training.gradient_cache.chunk_size must be positive when training.gradient_cache.enabled is true; "
        + "training.gradient_cache.chunk_size=0");
  }

  @Test
  void wrongTypesNameTheKey() {
    assertError(MINIMAL.replace("epochs: 1", "epochs: three"),
        "scifact-dpr.yaml: training.epochs must be an integer, found string \"three\"");
    assertError(MINIMAL.replace("epochs: 1", "epochs: 1.5"),
        "scifact-dpr.yaml: training.epochs must be an integer, found number 1.5");
    assertError(MINIMAL.replace("epochs: 1", "epochs: 3000000000"), "scifact-dpr.yaml: training.epochs must be "
        + "an integer between -2147483648 and 2147483647, found number 3000000000");
    assertError(MINIMAL.replace("learning_rate: 1.0e-5", "learning_rate: fast"),
        "scifact-dpr.yaml: training.learning_rate must be a number, found string \"fast\"");
    assertError(MINIMAL.replace("  name: models/mine", "  name: models/mine\n  shared_towers: 1"),
        "scifact-dpr.yaml: model.shared_towers must be true or false, found number 1");
    assertError(MINIMAL.replace("name: models/mine", "name: [a, b]"),
        "scifact-dpr.yaml: model.name must be a string, found a list");
    assertError(MINIMAL.replace("  seed: 1", "  seed:"),
        "scifact-dpr.yaml: training.seed must be an integer, found nothing (null)");
    assertError(MINIMAL.replace("train: groups.jsonl", "train: groups.jsonl\n  dev: 100"),
        "scifact-dpr.yaml: data.dev must be a mapping, found number 100");
    assertError("- model\n- data\n",
        "scifact-dpr.yaml: expected a mapping of sections (known: model, data, training, ance, distillation), found a list");
    assertError("", "scifact-dpr.yaml: empty config; expected a mapping of sections (known: model, data, training, ance, distillation)");
  }

  @Test
  void invalidValuesNameTheKeyAndValue() {
    assertError(MINIMAL.replace("learning_rate: 1.0e-5", "learning_rate: -1"),
        "scifact-dpr.yaml: training.learning_rate must be positive; training.learning_rate=-1");
    assertError(MINIMAL.replace("warmup_ratio: 0", "warmup_ratio: 1"),
        "scifact-dpr.yaml: training.warmup_ratio must be in [0, 1); training.warmup_ratio=1");
    assertError(MINIMAL.replace("epochs: 1", "epochs: 0"),
        "scifact-dpr.yaml: training.epochs must be positive; training.epochs=0");
    assertError(MINIMAL.replace("batch_size: 8", "batch_size: -2"),
        "scifact-dpr.yaml: training.batch_size must be positive; training.batch_size=-2");
    assertError(MINIMAL.replace("checkpoint_every: 10", "checkpoint_every: 0"),
        "scifact-dpr.yaml: training.checkpoint_every must be positive; training.checkpoint_every=0");
    assertError(MINIMAL + "  temperature: 0\n",
        "scifact-dpr.yaml: training.temperature must be positive; training.temperature=0");
    assertError(MINIMAL.replace("train: groups.jsonl", "train: groups.jsonl\n  max_train_queries: 0"),
        "scifact-dpr.yaml: data.max_train_queries must be at least 1; data.max_train_queries=0");
    assertError(MINIMAL + "  dev_evaluation: sometimes\n", "scifact-dpr.yaml: training.dev_evaluation must be one "
        + "of [every_epoch, last_epoch, none]; training.dev_evaluation=sometimes");
    assertError(MINIMAL + "  weight_decay: -0.5\n",
        "scifact-dpr.yaml: training.weight_decay must not be negative; training.weight_decay=-0.5");
    assertThatThrownBy(() -> new TrainingConfig(1, 1, 1e-5, 0, 0, Double.NaN, 0.05, 1, GradientCacheConfig.DISABLED,
        1, DevEvaluation.NONE)).hasMessage("training.max_grad_norm must be a finite number (0 or less disables "
        + "clipping); "
        + "training.max_grad_norm=NaN");
    assertError(MINIMAL + "  gradient_cache:\n    enabled: true\n    chunk_size: 0\n",
        "scifact-dpr.yaml: training.gradient_cache.chunk_size must be positive when training.gradient_cache.enabled"
            + " is true; training.gradient_cache.chunk_size=0");
    assertError(MINIMAL.replace("train: groups.jsonl", "train: groups.jsonl\n  negatives_per_query: -1"),
        "scifact-dpr.yaml: data.negatives_per_query must not be negative; data.negatives_per_query=-1");
    assertError(MINIMAL.replace("train: groups.jsonl", "train: groups.jsonl\n  dev:\n    queries: -3"),
        "scifact-dpr.yaml: data.dev.queries must not be negative; data.dev.queries=-3");
    assertError(MINIMAL.replace("  name: models/mine", "  name: models/mine\n  query_max_length: 1"),
        "scifact-dpr.yaml: model.query_max_length must be at least 2; model.query_max_length=1");
    assertError(MINIMAL.replace("name: models/mine", "name: \" \""),
        "scifact-dpr.yaml: model.name must not be empty; model.name=\" \"");
    assertError(MINIMAL.replace("train: groups.jsonl", "train: \"\""),
        "scifact-dpr.yaml: data.train must name the training groups file; data.train=");
  }

  @Test
  void malformedYamlAndDuplicateKeysAreErrorsWithTheLine() {
    assertThatThrownBy(() -> TrainConfigLoader.parse("model:\n  name: [unclosed\n", FILE))
        .isInstanceOf(DataFormatException.class).hasMessageStartingWith("scifact-dpr.yaml:")
        .hasMessageContaining("malformed YAML");
    assertThatThrownBy(() -> TrainConfigLoader.parse(MINIMAL + "  epochs: 2\n", FILE))
        .isInstanceOf(DataFormatException.class).hasMessageStartingWith("scifact-dpr.yaml:12: malformed YAML")
        .hasMessageContaining("Duplicate field 'epochs'");
  }

  @Test
  void missingFileIsAnIoError() {
    Path missing = tmp.resolve("nope.yaml");
    assertThatThrownBy(() -> TrainConfigLoader.load(missing)).isInstanceOf(UncheckedIOException.class)
        .hasMessage("cannot read " + missing);
  }

  private static void assertError(String yaml, String message) {
    assertThatThrownBy(() -> TrainConfigLoader.parse(yaml, FILE)).isInstanceOf(DataFormatException.class)
        .hasMessage(message);
  }
}
