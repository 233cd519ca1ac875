package dev.quarry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.teacher.TeacherConfig;
import dev.quarry.train.ConfigSection;
import dev.quarry.train.RerankerConfig;
import dev.quarry.train.TrainConfigLoader;
import java.nio.file.Path;
import java.util.List;
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
    assertThat(rocketqa.teacher()).isEmpty();
    RocketQaConfig withTeacher = RocketQaConfig.load(Path.of("examples/scifact-rocketqa-teacher.yaml"));
    assertThat(withTeacher.teacher().orElseThrow().members()).containsExactly("bm25", "all-minilm-l6-v2", "md0");
    assertThat(withTeacher.sections()).containsOnlyKeys(Stage.MD0, Stage.MD1, Stage.MD2);
    assertThat(withTeacher.settings()).isEqualTo(rocketqa.settings());
    for (Stage stage : List.of(Stage.MD0, Stage.MD1, Stage.MD2)) {
      assertThat(withTeacher.sections().get(stage)).as(stage.dirName()).isEqualTo(rocketqa.sections().get(stage));
    }
    assertThat(TeacherConfig.parse(ConfigSection.readYaml(Path.of("examples/scifact-teacher.yaml"),
        List.of("teacher")).section("teacher", TeacherConfig.KEYS)).members())
        .containsExactly("bm25", "all-minilm-l6-v2", "bge-small-en-v1.5");
  }
}
