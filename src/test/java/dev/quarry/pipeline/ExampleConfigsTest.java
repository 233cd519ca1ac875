package dev.quarry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.train.RerankerConfig;
import dev.quarry.train.TrainConfigLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every config under examples/ loads: the README's commands use them as they are. */
class ExampleConfigsTest {
  @Test
  void everyExampleConfigLoads() {
    assertThat(TrainConfigLoader.load(Path.of("examples/scifact-dpr.yaml")).training().epochs()).isEqualTo(3);
    assertThat(TrainConfigLoader.load(Path.of("examples/squad-dpr.yaml")).data().maxTrainQueries()).hasValue(3200);
    assertThat(RerankerConfig.load(Path.of("examples/scifact-reranker.yaml")).negativesPerQuery()).isEqualTo(7);
    RocketQaConfig rocketqa = RocketQaConfig.load(Path.of("examples/scifact-rocketqa.yaml"));
    assertThat(rocketqa.settings().depth()).isEqualTo(20);
    assertThat(rocketqa.settings().stageInit()).isEqualTo(RocketQaConfig.StageInit.PREVIOUS);
    assertThat(rocketqa.sections()).containsOnlyKeys(Stage.values());
  }
}
