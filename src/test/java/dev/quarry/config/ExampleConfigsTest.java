package dev.quarry.config;

import dev.quarry.condenser.PretrainConfig;
import dev.quarry.dpr.TrainConfigLoader;
import dev.quarry.reader.ReaderConfig;
import dev.quarry.rerank.RerankerConfig;
import dev.quarry.rocketqa.RocketQaConfig;
import dev.quarry.rocketqa.Stage;
import dev.quarry.teacher.TeacherConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every config under examples/ loads: the README's commands use them as they are. */
class ExampleConfigsTest {
  /** Each file under examples/ and the loader its command uses; a new example without an entry fails the test. */
  private static final Map<String, Consumer<Path>> LOADERS = Map.ofEntries(
      Map.entry("scifact-dpr.yaml", TrainConfigLoader::load),
      Map.entry("squad-dpr.yaml", TrainConfigLoader::load),
      Map.entry("scifact-ance.yaml", p -> assertThat(TrainConfigLoader.load(p).ance()).isPresent()),
      Map.entry("scifact-ance-control.yaml", p -> assertThat(TrainConfigLoader.load(p).ance()).isEmpty()),
      Map.entry("scifact-cocondenser-finetune.yaml", TrainConfigLoader::load),
      Map.entry("scifact-cocondenser.yaml",
          p -> assertThat(PretrainConfig.load(p).training().epochs()).isEqualTo(1)),
      Map.entry("scifact-reranker.yaml", RerankerConfig::load),
      Map.entry("scifact-rocketqa.yaml", RocketQaConfig::load),
      Map.entry("scifact-rocketqa-teacher.yaml", RocketQaConfig::load),
      Map.entry("scifact-teacher.yaml", p -> TeacherConfig.load(p, Overrides.NONE)),
      Map.entry("squad-reader.yaml",
          p -> assertThat(ReaderConfig.load(p, Overrides.NONE).data().negatives()).isEqualTo(3)),
      Map.entry("scifact-cocondenser-rounds.yaml", p -> assertThat(dev.quarry.condenser.RoundsConfig.load(p,
          Overrides.NONE).train()).exists()));

  @Test
  void everyFileUnderExamplesLoads() throws IOException {
    List<String> files;
    try (Stream<Path> list = Files.list(Path.of("examples"))) {
      files = list.map(f -> f.getFileName().toString()).sorted().toList();
    }
    assertThat(files).containsExactlyInAnyOrderElementsOf(LOADERS.keySet());
    for (String f : files) {
      LOADERS.get(f).accept(Path.of("examples", f));
    }
  }

  @Test
  void exampleConfigsSayWhatTheReadmeSays() {
    assertThat(TrainConfigLoader.load(Path.of("examples/scifact-dpr.yaml")).training().epochs()).isEqualTo(3);
    assertThat(TrainConfigLoader.load(Path.of("examples/squad-dpr.yaml")).data().maxTrainQueries()).hasValue(3200);
    assertThat(RerankerConfig.load(Path.of("examples/scifact-reranker.yaml")).data().negativesPerQuery()).isEqualTo(7);
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
    assertThat(TeacherConfig.load(Path.of("examples/scifact-teacher.yaml"), Overrides.NONE).members())
        .containsExactly("bm25", "all-minilm-l6-v2", "bge-small-en-v1.5");
  }
}
