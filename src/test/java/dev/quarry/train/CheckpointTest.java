package dev.quarry.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.dpr.DataConfig;
import dev.quarry.dpr.ModelConfig;
import dev.quarry.dpr.TrainConfig;
import dev.quarry.io.JsonLines;
import dev.quarry.model.NamedTensor;
import dev.quarry.random.RandomPurpose;
import dev.quarry.random.SplitMix64;
import dev.quarry.random.TrainingSeeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointTest {
  private static final TrainConfig CONFIG = new TrainConfig(
      new ModelConfig("all-minilm-l6-v2", true, OptionalInt.empty(), OptionalInt.empty()),
      new DataConfig(Path.of("groups.jsonl"), DevSplitConfig.DEFAULTS, 1),
      new TrainingConfig(2, 4, 1e-3, 0.25, 0.01, 1.0, 0.05, 42, GradientCacheConfig.DISABLED, 2,
          DevEvaluation.EVERY_EPOCH));
  private static final TrainingSeeds SEEDS = new TrainingSeeds(CONFIG.training().seed());

  @TempDir
  Path out;

  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager("PyTorch");
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void savesAndLoadsWeightsOptimizerAndState() throws Exception {
    Map<String, NDArray> params = parameters();
    try (AdamW adamw = new AdamW(params, AdamWConfig.withWeightDecay(0.01), manager)) {
      trainSteps(params, adamw, 1, 3);
      TrainerState state = TrainerState.of(3, 1, 8, SEEDS, CONFIG.sha256());
      Path dir = Checkpoint.save(Checkpoint.folder(out), state, export(params), adamw.state(), 3);
      assertThat(dir).isEqualTo(out.resolve("checkpoints").resolve("step-3"));
      assertThat(dir.resolve(Checkpoint.COMPLETE_MARKER)).exists();

      Checkpoint loaded = Checkpoint.load(dir);
      assertThat(loaded.state()).isEqualTo(state);
      assertThat(loaded.model().keySet()).containsExactlyElementsOf(params.keySet());
      for (String name : params.keySet()) {
        assertThat(loaded.model().get(name).values()).containsExactly(params.get(name).toFloatArray());
        assertThat(loaded.optimizer().firstMoments().get(name).values())
            .containsExactly(adamw.state().firstMoments().get(name).values());
        assertThat(loaded.optimizer().secondMoments().get(name).values())
            .containsExactly(adamw.state().secondMoments().get(name).values());
      }
      assertThat(loaded.optimizer().step()).isEqualTo(3);

      JsonNode json = JsonLines.MAPPER.readTree(dir.resolve(Checkpoint.STATE_FILE).toFile());
      assertThat(json.get("step").asLong()).isEqualTo(3);
      assertThat(json.get("epoch").asInt()).isEqualTo(1);
      assertThat(json.get("position_in_epoch").asInt()).isEqualTo(8);
      assertThat(json.get("data_order_seed").asLong()).isEqualTo(SEEDS.dataOrderSeed(1));
      assertThat(json.get("rng").get("seed").asLong()).isEqualTo(42);
      assertThat(json.get("rng").get("scheme").asText()).isEqualTo(TrainingSeeds.SCHEME);
      assertThat(json.get("config_sha256").asText()).isEqualTo(CONFIG.sha256());
    }
  }

  @Test
  void resumingFromACheckpointContinuesBitForBit() {
    Map<String, NDArray> straight = parameters();
    try (AdamW adamw = new AdamW(straight, AdamWConfig.withWeightDecay(0.01), manager)) {
      trainSteps(straight, adamw, 1, 6);
    }
    Map<String, NDArray> interrupted = parameters();
    try (AdamW adamw = new AdamW(interrupted, AdamWConfig.withWeightDecay(0.01), manager)) {
      trainSteps(interrupted, adamw, 1, 4);
      Checkpoint.save(Checkpoint.folder(out), TrainerState.of(4, 0, 0, SEEDS, CONFIG.sha256()), export(interrupted),
          adamw.state(), 2);
    }
    Checkpoint c = Checkpoint.load(Checkpoint.latest(Checkpoint.folder(out)).orElseThrow());
    c.state().requireCompatible(CONFIG.sha256());
    Map<String, NDArray> resumed = new LinkedHashMap<>();
    c.model().forEach((name, t) -> resumed.put(name, manager.create(t.values(), new Shape(t.shape()))));
    try (AdamW adamw = new AdamW(resumed, AdamWConfig.withWeightDecay(0.01), manager)) {
      adamw.loadState(c.optimizer());
      trainSteps(resumed, adamw, c.state().step() + 1, 6);
    }
    for (String name : straight.keySet()) {
      assertThat(resumed.get(name).toFloatArray()).containsExactly(straight.get(name).toFloatArray());
    }
  }

  @Test
  void latestIgnoresTemporaryAndIncompleteFoldersAndKeepsTheLastK() throws Exception {
    Path folder = Checkpoint.folder(out);
    assertThat(Checkpoint.latest(folder)).isEmpty();
    Map<String, NDArray> params = parameters();
    try (AdamW adamw = new AdamW(params, AdamWConfig.withWeightDecay(0.01), manager)) {
      for (long step = 2; step <= 8; step += 2) {
        Checkpoint.save(folder, TrainerState.of(step, 0, (int) step * 4, SEEDS, CONFIG.sha256()), export(params),
            adamw.state(), 2);
      }
    }
    assertThat(Checkpoint.complete(folder)).containsExactly(folder.resolve("step-6"), folder.resolve("step-8"));
    assertThat(Checkpoint.latest(folder)).contains(folder.resolve("step-8"));

    // a crash while writing step 10: its .tmp folder holds partial files (of a process no longer running)
    Path crashed = Files.createDirectories(folder.resolve("step-10.tmp-" + deadPid()));
    Files.write(crashed.resolve(Checkpoint.MODEL_FILE), new byte[] {1, 2, 3});
    // a folder with the right name but no marker is not a checkpoint either
    Path incomplete = Files.createDirectories(folder.resolve("step-12"));
    Files.writeString(incomplete.resolve(Checkpoint.STATE_FILE), "{}");
    assertThat(Checkpoint.latest(folder)).contains(folder.resolve("step-8"));
    assertThatThrownBy(() -> Checkpoint.load(incomplete))
        .hasMessage(incomplete + ": not a complete checkpoint (no COMPLETE file)");

    try (AdamW adamw = new AdamW(params, AdamWConfig.withWeightDecay(0.01), manager)) {
      Checkpoint.save(folder, TrainerState.of(10, 0, 40, SEEDS, CONFIG.sha256()), export(params), adamw.state(), 2);
    }
    assertThat(crashed).doesNotExist();
    // step-10 sorts after step-8: by number, not as text
    assertThat(Checkpoint.complete(folder)).containsExactly(folder.resolve("step-8"), folder.resolve("step-10"));
    assertThat(Checkpoint.latest(folder)).contains(folder.resolve("step-10"));
  }

  @Test
  void savingTheSameStepAgainReplacesIt() {
    Path folder = Checkpoint.folder(out);
    Map<String, NDArray> params = parameters();
    try (AdamW adamw = new AdamW(params, AdamWConfig.withWeightDecay(0.01), manager)) {
      Checkpoint.save(folder, TrainerState.of(4, 0, 16, SEEDS, CONFIG.sha256()), export(params), adamw.state(), 3);
      trainSteps(params, adamw, 1, 1);
      Checkpoint.save(folder, TrainerState.of(4, 1, 0, SEEDS, CONFIG.sha256()), export(params), adamw.state(), 3);
    }
    Checkpoint c = Checkpoint.load(folder.resolve("step-4"));
    assertThat(c.state().epoch()).isEqualTo(1);
    assertThat(c.optimizer().step()).isEqualTo(1);
    assertThat(Checkpoint.complete(folder)).containsExactly(folder.resolve("step-4"));
  }

  @Test
  void aCheckpointOfAnotherConfigIsRefused() {
    TrainerState state = TrainerState.of(1, 0, 4, SEEDS, CONFIG.sha256());
    TrainConfig other = new TrainConfig(CONFIG.model(), CONFIG.data(), new TrainingConfig(2, 4, 2e-3, 0.25, 0.01,
        1.0, 0.05, 42, GradientCacheConfig.DISABLED, 2, DevEvaluation.EVERY_EPOCH));
    assertThatThrownBy(() -> state.requireCompatible(other.sha256())).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the checkpoint was made with another config");
    TrainerState oldScheme = new TrainerState(1, 0, 4, 0, 42, "splitmix64-v0", CONFIG.sha256());
    assertThatThrownBy(() -> oldScheme.requireCompatible(CONFIG.sha256()))
        .hasMessageContaining("derives its randomness by splitmix64-v0");
  }

  /** Steps {@code from..to} (1-based) of a toy objective whose gradients depend on the derived seeds only. */
  private void trainSteps(Map<String, NDArray> params, AdamW adamw, long from, long to) {
    LinearWarmupDecay schedule = LinearWarmupDecay.withWarmupRatio(1e-2, 6, 0.25);
    for (long step = from; step <= to; step++) {
      SplitMix64 random = SEEDS.generator(RandomPurpose.NEGATIVES, step);
      Map<String, NDArray> grads = new LinkedHashMap<>();
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        float[] p = e.getValue().toFloatArray();
        float[] g = new float[p.length];
        for (int i = 0; i < p.length; i++) {
          g[i] = p[i] - (float) random.nextDouble();
        }
        grads.put(e.getKey(), manager.create(g, e.getValue().getShape()));
      }
      GradientClipping.clipByGlobalNorm(grads, 1.0);
      adamw.step(grads, schedule.learningRate(step - 1));
      grads.values().forEach(NDArray::close);
    }
  }

  private Map<String, NDArray> parameters() {
    Map<String, NDArray> params = new LinkedHashMap<>();
    params.put("encoder.layer.0.output.dense.weight", manager.create(new float[] {0.1f, -0.2f, 0.3f, 0.4f,
        0.5f, -0.6f}, new Shape(2, 3)));
    params.put("encoder.layer.0.output.dense.bias", manager.create(new float[] {0.01f, -0.02f}));
    params.put("encoder.layer.0.output.LayerNorm.weight", manager.create(new float[] {1f, 1f}));
    return params;
  }

  private static List<NamedTensor> export(Map<String, NDArray> params) {
    List<NamedTensor> out = new ArrayList<>();
    params.forEach((name, a) -> out.add(new NamedTensor(name, a.getShape().getShape(), a.toFloatArray())));
    return out;
  }

  /** A process id that no running process has. */
  private static long deadPid() {
    for (long pid = 4_000_000; ; pid++) {
      if (ProcessHandle.of(pid).isEmpty()) {
        return pid;
      }
    }
  }
}
