package dev.quarry.condenser;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.data.BeirFormat;
import dev.quarry.data.Dataset;
import dev.quarry.data.Datasets;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.io.DataFormatException;
import dev.quarry.io.JsonLines;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.ModelDirectory;
import dev.quarry.model.NamedTensor;
import dev.quarry.model.Pooling;
import dev.quarry.model.Safetensors;
import dev.quarry.model.TextEncoder;
import dev.quarry.model.TinyModels;
import dev.quarry.testing.TrainingRuns;
import dev.quarry.train.Checkpoint;
import dev.quarry.train.TrainingJob;
import dev.quarry.util.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** coCondenser pre-training end to end on a tiny model: outputs, loss parts, and a killed run resuming exactly. */
class CondenserTrainerTest {
  @TempDir
  Path tmp;
  Dataset dataset;
  Path config;
  Path model;

  @BeforeEach
  void setUp() throws Exception {
    Path data = tmp.resolve("data");
    List<Passage> passages = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      passages.add(new Passage("d" + i, "Topic " + (i % 4), "passage " + i + " discusses subject " + (i % 4)
          + " at some length, with enough words for two different spans to be drawn from it"));
    }
    passages.add(new Passage("short", "", "tiny"));
    BeirFormat.writeCorpus(data.resolve("corpus.jsonl"), passages);
    BeirFormat.writeQueries(data.resolve("queries.jsonl"), List.of(new Query("q1", "subject 1")));
    Files.createDirectories(data.resolve("qrels"));
    Files.writeString(data.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\n");
    dataset = Datasets.open(data);
    model = TinyModels.create(tmp.resolve("model"), new EncoderRecipe(Pooling.MEAN, true, "", "", 16, 16), 2);
    config = tmp.resolve("pretrain.yaml");
    Files.writeString(config, """
        model:
          name: %s
        condenser:
          early_layers: 1
          head_layers: 2
          span_tokens: 10
          min_tokens: 4
        training:
          epochs: 2
          batch_size: 4
          learning_rate: 1.0e-3
          warmup_ratio: 0.25
          temperature: 0.1
          seed: 5
          gradient_cache: {enabled: true, chunk_size: 3}
          checkpoint_every: 1
          dev_evaluation: none
        """.formatted(model));
  }

  private CondenserTrainer trainer(Path out, Progress progress) {
    return new CondenserTrainer(PretrainConfig.load(config),
        new TrainingJob(config, dataset, "test", out, tmp.resolve("cache"), progress));
  }

  @Test
  void pretrainsExportsTheBackboneAndAKilledRunResumesToTheSameModel() throws Exception {
    Path a = tmp.resolve("a");
    CondenserTrainer.Summary whole = trainer(a, Progress.NONE).train();
    assertThat(whole.documents()).isEqualTo(12);
    assertThat(whole.skippedDocuments()).isEqualTo(1);
    assertThat(whole.steps()).isEqualTo(6);   // 12 documents / 4 per step, 2 epochs
    List<JsonNode> steps = new ArrayList<>();
    for (String line : Files.readAllLines(a.resolve("metrics.jsonl"))) {
      steps.add(JsonLines.MAPPER.readTree(line));
    }
    assertThat(steps).hasSize(6).allSatisfy(o -> {
      double backbone = o.path("loss_mlm_backbone").asDouble(-1);
      double head = o.path("loss_mlm_head").asDouble(-1);
      double contrastive = o.path("loss_contrastive").asDouble(-1);
      assertThat(backbone).isPositive();
      assertThat(head).isPositive();
      assertThat(contrastive).isPositive();
      // mlm_weight and contrastive_weight are 1 (the defaults): the loss trained on is the sum of the three parts,
      // each a float
      assertThat(o.path("loss").asDouble(-1)).as("step %s", o.path("step"))
          .isCloseTo(backbone + head + contrastive, within(1e-5 * (backbone + head + contrastive)));
    });
    assertThat(a.resolve("training-curves.png")).exists();
    Path weights = a.resolve("model").resolve(ModelDirectory.WEIGHTS);
    Map<String, NamedTensor> exported = Safetensors.read(weights);
    assertThat(exported.keySet()).as("the head is dropped").noneMatch(n -> n.startsWith("c_head.")
        || n.startsWith("cls."));
    String name = "encoder.layer.0.attention.self.query.weight";
    assertThat(exported.get(name).values()).as("pre-training changed the backbone")
        .isNotEqualTo(Safetensors.read(model.resolve(ModelDirectory.WEIGHTS)).get(name).values());
    try (TextEncoder encoder = TextEncoder.load(a.resolve("model"))) {
      assertThat(encoder.encodeQueries(List.of("subject 1"), 1, Progress.NONE)[0]).hasSize(32);
    }

    Path b = tmp.resolve("b");
    assertThatThrownBy(() -> trainer(b, TrainingRuns.crashAt(4)).train()).hasMessage("simulated crash");
    assertThat(trainer(b, Progress.NONE).train().steps()).isEqualTo(6);
    TrainingRuns.assertResumedEqualsUninterrupted(weights, b.resolve("model").resolve(ModelDirectory.WEIGHTS));
  }

  @Test
  void headWarmupHoldsTheBackboneAndTrainsTheHead() throws Exception {
    String before = PretrainConfig.load(config).sha256();
    Files.writeString(config,
        Files.readString(config).replace("min_tokens: 4", "min_tokens: 4\n  head_warmup_steps: 0\n  documents: auto"));
    assertThat(PretrainConfig.load(config).sha256()).as("a config without the new keys hashes (resumes) as before")
        .isEqualTo(before);
    Files.writeString(config, Files.readString(config).replace("documents: auto", "documents: title"));
    assertThat(PretrainConfig.load(config).sha256()).isNotEqualTo(before);
    assertThat(PretrainConfig.load(config).condenser().documents()).isEqualTo(SpanDocuments.TITLE);
    Files.writeString(config, Files.readString(config).replace("\n  documents: title", ""));
    Files.writeString(config, Files.readString(config).replace("head_warmup_steps: 0",
        "head_warmup_steps: 2\n  head_learning_rate: 5.0e-3").replace("epochs: 2", "epochs: 1"));
    assertThat(PretrainConfig.load(config).condenser().headWarmupSteps()).isEqualTo(2);
    assertThat(PretrainConfig.load(config).condenser().headLearningRateScale(1e-3)).isEqualTo(5.0, within(1e-12));
    Path a = tmp.resolve("warm");
    assertThatThrownBy(() -> trainer(a, TrainingRuns.crashAt(3)).train()).hasMessage("simulated crash");
    Map<String, NamedTensor> initial = Safetensors.read(model.resolve(ModelDirectory.WEIGHTS));
    Map<String, NamedTensor> afterTwo = Checkpoint.load(a.resolve("checkpoints").resolve("step-2")).model();
    assertThat(afterTwo.keySet()).containsAll(initial.keySet());
    for (String name : initial.keySet()) {
      // Arrays.equals: AssertJ's containsExactly is quadratic in the length of a word-embedding matrix
      assertThat(Arrays.equals(afterTwo.get(name).values(), initial.get(name).values()))
          .as("backbone %s held in steps 1-2", name).isTrue();
    }
    assertThat(afterTwo).containsKey("c_head.0.attention.self.query.weight");
    Map<String, NamedTensor> afterOne = Checkpoint.load(a.resolve("checkpoints").resolve("step-1")).model();
    assertThat(afterTwo.get("c_head.0.attention.self.query.weight").values()).as("the head trains")
        .isNotEqualTo(afterOne.get("c_head.0.attention.self.query.weight").values());
    assertThat(afterTwo.get("cls.predictions.transform.dense.weight").values()).as("the MLM layer trains")
        .isNotEqualTo(afterOne.get("cls.predictions.transform.dense.weight").values());
    assertThat(trainer(a, Progress.NONE).train().steps()).isEqualTo(3);
    String name = "encoder.layer.0.attention.self.query.weight";
    assertThat(Safetensors.read(a.resolve("model").resolve(ModelDirectory.WEIGHTS)).get(name).values())
        .as("step 3 moves the backbone").isNotEqualTo(initial.get(name).values());
  }

  @Test
  void configProblemsNameTheKey() throws Exception {
    Files.writeString(config, Files.readString(config).replace("dev_evaluation: none", "dev_evaluation: last_epoch"));
    assertThatThrownBy(() -> PretrainConfig.load(config)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("pretrain.yaml").hasMessageContaining("training.dev_evaluation must be none");
    Files.writeString(config, Files.readString(config).replace("dev_evaluation: last_epoch", "dev_evaluation: none")
        .replace("early_layers: 1", "early_layers: 2"));
    assertThatThrownBy(() -> trainer(tmp.resolve("c"), Progress.NONE).train())
        .hasMessageContaining("condenser.early_layers 2 leaves no late layer");
    Files.writeString(config, Files.readString(config).replace("span_tokens: 10", "span_tokens: 10\n  spans: 3"));
    assertThatThrownBy(() -> PretrainConfig.load(config)).hasMessageContaining("spans");
    Files.writeString(config, Files.readString(config).replace("  spans: 3", "  head_warmup_steps: -1"));
    assertThatThrownBy(() -> PretrainConfig.load(config))
        .hasMessageContaining("condenser.head_warmup_steps must not be negative");
  }
}
