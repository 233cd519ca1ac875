package dev.quarry.dpr;

import dev.quarry.data.BeirFormat;
import dev.quarry.data.Dataset;
import dev.quarry.data.Datasets;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The training loop end to end on a tiny model: outputs, and a run killed mid-way that resumes to the same model. */
class DprTrainerTest {
  @TempDir
  Path tmp;
  Dataset dataset;
  Path config;
  Path model;

  @BeforeEach
  void setUp() throws Exception {
    Path data = tmp.resolve("data");
    List<Passage> passages = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      passages.add(new Passage("d" + i, "Topic " + (i % 10), "passage " + i + " on subject " + (i % 10)));
    }
    BeirFormat.writeCorpus(data.resolve("corpus.jsonl"), passages);
    List<Query> queries = new ArrayList<>();
    StringBuilder train = new StringBuilder("query-id\tcorpus-id\tscore\n");
    StringBuilder test = new StringBuilder("query-id\tcorpus-id\tscore\n");
    StringBuilder groups = new StringBuilder();
    for (int q = 0; q < 14; q++) {
      queries.add(new Query("q" + q, "subject " + (q % 10)));
      int pos = q % 10;
      int neg = (q + 3) % 10 + 10;
      (q < 12 ? train : test).append("q").append(q).append("\td").append(pos).append("\t1\n");
      if (q < 12) {
        groups.append("{\"query_id\":\"q").append(q).append("\",\"query\":\"subject ").append(q % 10)
            .append("\",\"positives\":[{\"id\":\"d").append(pos).append("\",\"title\":\"Topic ").append(pos)
            .append("\",\"text\":\"passage ").append(pos).append(" on subject ").append(pos)
            .append("\"}],\"negatives\":[{\"id\":\"d").append(neg).append("\",\"title\":\"\",\"text\":\"passage ")
            .append(neg).append("\",\"source\":\"bm25\",\"rank\":2,\"score\":1.5}]}\n");
      }
    }
    BeirFormat.writeQueries(data.resolve("queries.jsonl"), queries);
    Files.createDirectories(data.resolve("qrels"));
    Files.writeString(data.resolve("qrels/train.tsv"), train.toString());
    Files.writeString(data.resolve("qrels/test.tsv"), test.toString());
    // a group without negatives (on SQuAD: every top paragraph holds the answer) is left out, not a crash
    groups.append("{\"query_id\":\"q99\",\"query\":\"subject 9\",\"positives\":[{\"id\":\"d9\",\"title\":\"\","
        + "\"text\":\"passage 9\"}],\"negatives\":[]}\n");
    Files.writeString(tmp.resolve("groups.jsonl"), groups.toString());
    dataset = Datasets.open(data);
    model = TinyModels.create(tmp.resolve("model"), new EncoderRecipe(Pooling.MEAN, true, "", "", 16, 16), 2);
    writeConfig(true);
  }

  private void writeConfig(boolean sharedTowers) throws Exception {
    config = tmp.resolve("config.yaml");
    Files.writeString(config, """
        model:
          name: %s
          shared_towers: %s
          passage_max_length: 12
        data:
          train: groups.jsonl
          dev: {queries: 4, seed: 13}
          negatives_per_query: 1
        training:
          epochs: 2
          batch_size: 4
          learning_rate: 1.0e-3
          warmup_ratio: 0.25
          temperature: 0.1
          seed: 5
          gradient_cache: {enabled: true, chunk_size: 3}
          checkpoint_every: 1
        """.formatted(model, sharedTowers));
  }

  private DprTrainer trainer(Path out, Progress progress) {
    return new DprTrainer(TrainConfigLoader.load(config),
        new TrainingJob(config, dataset, "train", out, tmp.resolve("cache"), progress));
  }

  @ParameterizedTest(name = "shared towers: {0}")
  @ValueSource(booleans = {true, false})
  void killedRunResumesToTheSameModel(boolean sharedTowers) throws Exception {
    writeConfig(sharedTowers);
    DprTrainer.Summary whole = trainer(tmp.resolve("a"), Progress.NONE).train();
    // q99 is no query of the train split, so no dev carve can take it: it is always selected, and left out for its
    // 0 negatives; the 12 train-split groups less 4 dev ones are trained on
    com.fasterxml.jackson.databind.JsonNode runInfo = JsonLines.MAPPER.readTree(tmp.resolve("a/run.json").toFile());
    assertThat(runInfo.path("groups_left_out_short_of_negatives").asInt(-1)).isEqualTo(1);
    assertThat(runInfo.path("train_groups").asInt(-1)).isEqualTo(8);
    assertThat(whole.steps()).isEqualTo(4);   // 8 training groups / batch 4 = 2 steps per epoch, 2 epochs
    assertThat(whole.devNdcg10()).containsOnlyKeys(1, 2);
    Path weightsA = weights(tmp.resolve("a/model"), sharedTowers);
    assertThat(weightsA).exists();
    assertThat(tmp.resolve("a/training-curves.png")).exists();
    assertThat(Files.readAllLines(tmp.resolve("a/metrics.jsonl"))).hasSize(6);   // 4 steps + 2 dev evaluations

    Progress crashAtStep3 = TrainingRuns.crashAt(3);
    assertThatThrownBy(() -> trainer(tmp.resolve("b"), crashAtStep3).train()).hasMessage("simulated crash");
    assertThat(Checkpoint.latest(Checkpoint.folder(tmp.resolve("b")))).isPresent();
    DprTrainer.Summary resumed = trainer(tmp.resolve("b"), Progress.NONE).train();
    assertThat(resumed.steps()).isEqualTo(4);
    assertThat(Files.readAllLines(tmp.resolve("b/metrics.jsonl"))).hasSize(6);

    TrainingRuns.assertResumedEqualsUninterrupted(weightsA, weights(tmp.resolve("b/model"), sharedTowers));
    Map<String, NamedTensor> start = Safetensors.read(tmp.resolve("model").resolve(ModelDirectory.WEIGHTS));
    assertThat(start.get("encoder.layer.0.attention.self.query.weight").values())
        .as("training changed the weights").isNotEqualTo(Safetensors.read(weightsA).get("encoder.layer.0.attention.self.query.weight").values());
  }

  @ParameterizedTest(name = "dev_evaluation: {0}")
  @ValueSource(strings = {"none", "last_epoch"})
  void withoutModelSelectionTheLastEpochIsExported(String devEvaluation) throws Exception {
    writeConfig(true);
    trainer(tmp.resolve("every"), Progress.NONE).train();
    Files.writeString(config, Files.readString(config) + "  dev_evaluation: " + devEvaluation + "\n");
    DprTrainer.Summary s = trainer(tmp.resolve("last"), Progress.NONE).train();
    assertThat(s.devNdcg10().keySet()).isEqualTo(devEvaluation.equals("none") ? java.util.Set.of()
        : java.util.Set.of(2));
    assertThat(Files.readAllLines(tmp.resolve("last/metrics.jsonl")))
        .hasSize(devEvaluation.equals("none") ? 4 : 5);
    // the exported weights are the last epoch's: the final checkpoint's model
    Path finalCheckpoint = Checkpoint.latest(Checkpoint.folder(tmp.resolve("last"))).orElseThrow();
    Map<String, NamedTensor> exported = Safetensors.read(weights(tmp.resolve("last/model"), true));
    Map<String, NamedTensor> last = Checkpoint.load(finalCheckpoint).model();
    String name = "encoder.layer.0.attention.self.query.weight";
    assertThat(exported.get(name).values()).isEqualTo(last.get(name).values());
  }

  private void addAnce(int maxGap) throws Exception {
    Files.writeString(config, Files.readString(config) + """
        ance:
          refresh_every: 1
          max_gap: %d
          depth: 10
          rank_from: 1
          rank_to: 10
          encode_batch_size: 8
        """.formatted(maxGap));
  }

  @Test
  void synchronousAnceRefreshesBeforeEveryStepAndAKilledRunResumesToTheSameModel() throws Exception {
    writeConfig(true);
    addAnce(0);
    Path a = tmp.resolve("a");
    assertThat(trainer(a, Progress.NONE).train().steps()).isEqualTo(4);
    // the dev evaluations' and the refreshes' corpus vectors went to scratch artifacts, deleted after each search
    assertThat(a.resolve("ance-vectors.scratch")).doesNotExist();
    assertThat(a.resolve("dev-vectors.scratch")).doesNotExist();
    List<dev.quarry.ance.RefreshLog.Entry> log = dev.quarry.ance.RefreshLog.read(
        a.resolve("ance").resolve(dev.quarry.ance.RefreshLog.FILE));
    assertThat(log).extracting(dev.quarry.ance.RefreshLog.Entry::weightsStep).containsExactly(0L, 1L, 2L, 3L);
    assertThat(log.get(0).mode()).isEqualTo(dev.quarry.ance.RefreshLog.Mode.SYNCHRONOUS);
    assertThat(log.get(3).mode()).isEqualTo(dev.quarry.ance.RefreshLog.Mode.BACKGROUND);
    assertThat(a.resolve("ance/tables/step-00000003.jsonl")).exists();
    List<com.fasterxml.jackson.databind.JsonNode> steps = new ArrayList<>();
    for (String line : Files.readAllLines(a.resolve("metrics.jsonl"))) {
      com.fasterxml.jackson.databind.JsonNode o = JsonLines.MAPPER.readTree(line);
      if (o.has("loss")) {
        steps.add(o);
      }
    }
    assertThat(steps).hasSize(4).allSatisfy(o -> {
      assertThat(o.path("ance_gap").asDouble(-1)).as("max_gap 0 trains on the step's own index").isZero();
      assertThat(o.path("grad_norm_ance").asDouble(-1)).isPositive();
      assertThat(o.path("grad_norm_mined").asDouble(-1)).isPositive();
      assertThat(o.path("grad_norm_in_batch").asDouble(-1)).isPositive();
    });
    com.fasterxml.jackson.databind.JsonNode summary = JsonLines.MAPPER.readTree(
        a.resolve("ance/summary.json").toFile());
    assertThat(summary.path("steps").asLong()).isEqualTo(4);
    assertThat(summary.path("refreshes").asInt()).isEqualTo(4);
    assertThat(summary.path("background_refreshes").asLong()).isEqualTo(
        log.stream().filter(e -> e.mode() == dev.quarry.ance.RefreshLog.Mode.BACKGROUND).count());
    assertThat(summary.path("initial_build_seconds").asDouble(-1)).isCloseTo(
        log.get(0).totalSeconds(), org.assertj.core.api.Assertions.within(1e-9));
    assertThat(summary.path("max_gap_steps").asDouble(-1)).isZero();
    // the summary's time and gradient numbers, recomputed from the step lines: each step took batch_size (4) /
    // examples_per_second seconds, of which ance_wait_seconds waiting for the index
    double stepSeconds = 0;
    double waitSeconds = 0;
    for (com.fasterxml.jackson.databind.JsonNode o : steps) {
      stepSeconds += 4 / o.path("examples_per_second").asDouble();
      waitSeconds += o.path("ance_wait_seconds").asDouble(-1);
    }
    assertThat(summary.path("trainer_seconds").asDouble(-1)).isCloseTo(stepSeconds,
        org.assertj.core.api.Assertions.within(1e-9 * stepSeconds));
    assertThat(summary.path("trainer_wait_seconds").asDouble(-1)).isCloseTo(waitSeconds,
        org.assertj.core.api.Assertions.within(1e-9 * stepSeconds));
    assertThat(summary.path("wait_fraction").asDouble(-1)).isCloseTo(waitSeconds / stepSeconds,
        org.assertj.core.api.Assertions.within(1e-9)).isBetween(0.0, 1.0);
    for (String kind : List.of("ance", "mined", "in_batch")) {
      double mean = steps.stream().mapToDouble(o -> o.path("grad_norm_" + kind).asDouble()).average().orElseThrow();
      assertThat(summary.path("mean_gradient_norm").path(kind).asDouble(-1)).as(kind)
          .isCloseTo(mean, org.assertj.core.api.Assertions.within(1e-12 * mean));
    }
    assertThat(a.resolve("ance/report.md")).content().contains("Mean gradient norm per negative");

    Path b = tmp.resolve("b");
    assertThatThrownBy(() -> trainer(b, TrainingRuns.crashAt(3)).train()).hasMessage("simulated crash");
    assertThat(trainer(b, Progress.NONE).train().steps()).isEqualTo(4);
    TrainingRuns.assertResumedEqualsUninterrupted(weights(a.resolve("model"), true), weights(b.resolve("model"),
        true));
  }

  @Test
  void backgroundAnceKeepsTheIndexLagWithinTheBound() throws Exception {
    writeConfig(false);
    addAnce(2);
    Path out = tmp.resolve("async");
    assertThat(trainer(out, Progress.NONE).train().steps()).isEqualTo(4);
    java.util.Set<Long> built = new java.util.HashSet<>();
    dev.quarry.ance.RefreshLog.read(out.resolve("ance").resolve(dev.quarry.ance.RefreshLog.FILE))
        .forEach(e -> built.add(e.weightsStep()));
    List<Double> gaps = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
      com.fasterxml.jackson.databind.JsonNode o = JsonLines.MAPPER.readTree(line);
      if (o.has("loss")) {
        // refresh_every 1 and max_gap 2: the table may lag by at most 1 - 1 + 2 steps
        double gap = o.path("ance_gap").asDouble(-1);
        assertThat(gap).isBetween(0.0, 2.0);
        // the lag is the trainer's step (0-based: step - 1) less the step of the weights the table was built from,
        // and that table is one the refresh log records
        long tableStep = o.path("ance_index_step").asLong(-1);
        assertThat(gap).as("step %s", o.path("step")).isEqualTo((double) (o.path("step").asLong() - 1 - tableStep));
        assertThat(built).as("step %s", o.path("step")).contains(tableStep);
        gaps.add(gap);
      }
    }
    assertThat(gaps).hasSize(4);
    com.fasterxml.jackson.databind.JsonNode summary = JsonLines.MAPPER.readTree(out.resolve("ance/summary.json")
        .toFile());
    assertThat(summary.path("steps").asLong()).isEqualTo(4);
    assertThat(summary.path("max_gap_steps").asDouble(-1)).isEqualTo(java.util.Collections.max(gaps));
    assertThat(summary.path("mean_gap_steps").asDouble(-1)).isCloseTo(
        gaps.stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
        org.assertj.core.api.Assertions.within(1e-12));
  }

  /** The passage tower's weights file of an exported model. */
  private static Path weights(Path model, boolean sharedTowers) {
    return (sharedTowers ? model : model.resolve(ModelDirectory.PASSAGE_TOWER)).resolve(ModelDirectory.WEIGHTS);
  }

  @Test
  void separateTowersExportADualEncoderWhoseQueryTowerEmbedsQueries() throws Exception {
    writeConfig(false);
    trainer(tmp.resolve("dual"), Progress.NONE).train();
    Path out = tmp.resolve("dual/model");
    assertThat(ModelDirectory.isDualEncoder(out)).isTrue();
    Map<String, NamedTensor> q = Safetensors.read(out.resolve(ModelDirectory.QUERY_TOWER).resolve(ModelDirectory.WEIGHTS));
    Map<String, NamedTensor> p = Safetensors.read(out.resolve(ModelDirectory.PASSAGE_TOWER).resolve(ModelDirectory.WEIGHTS));
    String name = "encoder.layer.0.attention.self.query.weight";
    assertThat(q.get(name).values()).as("the towers trained apart").isNotEqualTo(p.get(name).values());
    List<String> texts = List.of("subject 3", "passage 4 on subject 4");
    try (TextEncoder dual = TextEncoder.load(out);
        TextEncoder queryTower = TextEncoder.load(out.resolve(ModelDirectory.QUERY_TOWER));
        TextEncoder passageTower = TextEncoder.load(out.resolve(ModelDirectory.PASSAGE_TOWER))) {
      assertThat(dual.sharedTowers()).isFalse();
      assertThat(dual.encodeQueries(texts, 2, Progress.NONE)).isDeepEqualTo(
          queryTower.encodeQueries(texts, 2, Progress.NONE));
      assertThat(dual.encodePassages(texts, 2, Progress.NONE)).isDeepEqualTo(
          passageTower.encodePassages(texts, 2, Progress.NONE));
      assertThat(dual.encodeQueries(texts, 2, Progress.NONE)[0]).isNotEqualTo(
          dual.encodePassages(texts, 2, Progress.NONE)[0]);
    }
    assertThatThrownBy(() -> TextEncoder.load(out, ModelDirectory.recipe(out), TextEncoder.Towers.SHARED))
        .hasMessageContaining("cannot be loaded as one shared tower");
    assertThat(ModelDirectory.resolve(out.toString(), tmp.resolve("cache"))).isEqualTo(out);
  }
}
