package dev.quarry.config;

import dev.quarry.dpr.TrainConfig;
import dev.quarry.dpr.TrainConfigLoader;
import dev.quarry.io.DataFormatException;
import dev.quarry.rocketqa.RocketQaConfig;
import dev.quarry.rocketqa.Stage;
import dev.quarry.train.DevEvaluation;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --set KEY=VALUE}: applied to the file's tree before it is read, and held to the file's rules. */
class OverridesTest {
  private static final Path FILE = Path.of("cfg.yaml");
  private static final String YAML = """
      model:
        name: all-minilm-l6-v2
      data:
        train: groups.jsonl
      training:
        epochs: 1
        batch_size: 8
        learning_rate: 1.0e-5
        warmup_ratio: 0.1
        seed: 3
        checkpoint_every: 10
      """;

  private static TrainConfig load(String... specs) {
    return TrainConfigLoader.parse(YAML, FILE, Overrides.parse(List.of(specs)));
  }

  @Test
  void overridesReplaceAddAndCreateKeys() {
    TrainConfig plain = load();
    TrainConfig c = load("training.epochs=3", "training.learning_rate=3e-5", "training.dev_evaluation=none",
        "data.dev.queries=50", "model.shared_towers=false");
    assertThat(c.training().epochs()).isEqualTo(3);
    assertThat(c.training().learningRate()).isEqualTo(3e-5);
    assertThat(c.training().devEvaluation()).isEqualTo(DevEvaluation.NONE);
    assertThat(c.data().dev().queries()).isEqualTo(50);
    assertThat(c.model().sharedTowers()).isFalse();
    assertThat(c.sha256()).isNotEqualTo(plain.sha256());
    // the last of two overrides of one key wins; an override equal to the file changes nothing
    assertThat(load("training.epochs=2", "training.epochs=1").sha256()).isEqualTo(plain.sha256());
    // a whole section as a flow mapping
    assertThat(load("distillation={weight: 0.5}").distillationOrOff().weight()).isEqualTo(0.5);
  }

  @Test
  void anOverrideIsCheckedLikeTheFile() {
    assertThatThrownBy(() -> load("training.epoch=3")).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("unknown key training.epoch").hasMessageContaining("cfg.yaml");
    assertThatThrownBy(() -> load("training.epochs=three")).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("training.epochs must be an integer, found string \"three\"");
    assertThatThrownBy(() -> load("training.epochs=0")).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("training.epochs");
    assertThatThrownBy(() -> load("model.name.x=1")).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("--set model.name.x=1: model.name in cfg.yaml is not a mapping");
  }

  @Test
  void malformedOverridesAreRefusedWithTheirText() {
    assertThatThrownBy(() -> Overrides.parse(List.of("epochs"))).hasMessageContaining("KEY=VALUE")
        .hasMessageContaining("\"epochs\"");
    assertThatThrownBy(() -> Overrides.parse(List.of("=3"))).hasMessageContaining("KEY=VALUE");
    assertThatThrownBy(() -> Overrides.parse(List.of("training..epochs=3"))).hasMessageContaining("empty segment");
    assertThatThrownBy(() -> Overrides.parse(List.of("training.epochs="))).hasMessageContaining("no value");
    assertThatThrownBy(() -> Overrides.parse(List.of("training.epochs=[1"))).hasMessageContaining("not YAML");
    assertThat(Overrides.parse(List.of("a.b= x=y ")).entries().get(0).value().asText()).isEqualTo("x=y");
  }

  @Test
  void aPipelineStageHashCoversItsSectionAndTheEarlierOnesOnly() {
    Path example = Path.of("examples/scifact-rocketqa.yaml");
    RocketQaConfig base = RocketQaConfig.load(example);
    RocketQaConfig md1 = RocketQaConfig.load(example, Overrides.parse(List.of("md1.training.epochs=5")));
    RocketQaConfig settings = RocketQaConfig.load(example, Overrides.parse(List.of("pipeline.depth=25")));
    for (Stage s : List.of(Stage.MD0, Stage.MC)) {
      assertThat(md1.stageSha256(s)).as(s.dirName()).isEqualTo(base.stageSha256(s));
      assertThat(settings.stageSha256(s)).as(s.dirName()).isNotEqualTo(base.stageSha256(s));
    }
    for (Stage s : List.of(Stage.MD1, Stage.MD2)) {
      assertThat(md1.stageSha256(s)).as(s.dirName()).isNotEqualTo(base.stageSha256(s));
    }
    assertThat(md1.sections().get(Stage.MD1).path("training").path("epochs").asInt()).isEqualTo(5);
  }
}
