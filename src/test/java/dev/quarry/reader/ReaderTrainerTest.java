package dev.quarry.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.data.Dataset;
import dev.quarry.data.Datasets;
import dev.quarry.data.TrecFormat;
import dev.quarry.io.JsonLines;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.ModelDirectory;
import dev.quarry.model.Pooling;
import dev.quarry.model.TinyModels;
import dev.quarry.testing.TrainingRuns;
import dev.quarry.train.TrainingJob;
import dev.quarry.util.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReaderTrainerTest {
  @TempDir
  Path tmp;
  Dataset dataset;
  Path config;
  Path run;

  @BeforeEach
  void setUp() throws Exception {
    dataset = Datasets.open(ReaderFixtures.squad(tmp.resolve("squad")));
    run = ReaderFixtures.run(tmp.resolve("train.trec"));
    Path model = TinyModels.create(tmp.resolve("model"), new EncoderRecipe(Pooling.MEAN, true, "", "", 32, 32), 2);
    config = tmp.resolve("reader.yaml");
    Files.writeString(config, """
        model: {name: %s, max_length: 48}
        data: {dev: {queries: 4, seed: 13}, candidates: 5, negatives: 2, max_questions: 16}
        training: {epochs: 2, batch_size: 4, learning_rate: 1.0e-3, warmup_ratio: 0.25, seed: 5, checkpoint_every: 1}
        inference: {passages: 3, max_answer_tokens: 5}
        """.formatted(model));
  }

  private ReaderTrainer trainer(Path out, Progress progress) {
    return new ReaderTrainer(ReaderConfig.load(config, dev.quarry.config.Overrides.NONE),
        new TrainingJob(config, dataset, "dev", out, tmp.resolve("cache"), progress),
        TrecFormat.readAnyRun(run));
  }

  @Test
  void killedRunResumesToTheSameReader() throws Exception {
    ReaderTrainer.Summary whole = trainer(tmp.resolve("a"), Progress.NONE).train();
    // 30 questions: 4 held out as dev, a sample of 16 of the other 26 trained on
    assertThat(whole.trainQuestions()).isEqualTo(16);
    assertThat(whole.steps()).isEqualTo(8);   // 16 questions / 4 per step, 2 epochs
    assertThat(whole.devExactMatch()).containsOnlyKeys(1, 2);
    assertThat(Reader.isReader(tmp.resolve("a/model"))).isTrue();
    var info = JsonLines.MAPPER.readTree(tmp.resolve("a/run.json").toFile());
    assertThat(info.path("dev_questions")).hasSize(4);
    assertThat(info.path("train_questions").asInt()).isEqualTo(16);
    assertThat(Files.readAllLines(tmp.resolve("a/metrics.jsonl"))).hasSize(10);   // 8 steps + 2 evaluations

    assertThatThrownBy(() -> trainer(tmp.resolve("b"), TrainingRuns.crashAt(5)).train())
        .hasMessage("simulated crash");
    assertThat(trainer(tmp.resolve("b"), Progress.NONE).train().steps()).isEqualTo(8);
    TrainingRuns.assertResumedEqualsUninterrupted(tmp.resolve("a/model").resolve(ModelDirectory.WEIGHTS),
        tmp.resolve("b/model").resolve(ModelDirectory.WEIGHTS));
  }

  @Test
  void aDualEncoderLendsItsPassageTower() throws Exception {
    Path tiny = tmp.resolve("model");
    Path dual = tmp.resolve("dual");
    var bertConfig = ModelDirectory.config(tiny);
    var weights = dev.quarry.model.Safetensors.read(tiny.resolve(ModelDirectory.WEIGHTS));
    try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager();
        var query = dev.quarry.model.BertModel.of(bertConfig, weights, m);
        var passage = dev.quarry.model.BertModel.of(bertConfig, weights, m)) {
      dev.quarry.model.ModelExport.writeDualEncoder(query, passage, ModelDirectory.recipe(tiny),
          tiny.resolve(ModelDirectory.TOKENIZER), dual);
    }
    assertThat(ModelDirectory.isDualEncoder(dual)).isTrue();
    Files.writeString(config, Files.readString(config).replace(tiny.toString(), dual.toString())
        .replace("epochs: 2", "epochs: 1"));
    assertThat(trainer(tmp.resolve("from-dual"), Progress.NONE).train().steps()).isEqualTo(4);
  }

  @Test
  void configErrorsNameTheKey() throws Exception {
    String yaml = Files.readString(config);
    assertThatThrownBy(() -> ReaderConfig.parse(yaml.replace("negatives: 2", "negatives: 5"), config))
        .hasMessageContaining("data.negatives must be at least 1 and below data.candidates (5); data.negatives=5");
    assertThatThrownBy(() -> ReaderConfig.parse(yaml.replace("max_answer_tokens: 5", "max_answer_tokens: 0"),
        config)).hasMessageContaining("inference.max_answer_tokens must be positive");
    assertThatThrownBy(() -> ReaderConfig.parse(yaml.replace("warmup_ratio", "temperature: 0.05, warmup_ratio"),
        config)).hasMessageContaining("unknown key training.temperature");
    ReaderConfig defaults = ReaderConfig.parse(yaml.replace("inference: {passages: 3, max_answer_tokens: 5}", ""),
        config);
    assertThat(defaults.inference().decoding()).isEqualTo(AnswerDecoding.DEFAULT);
  }

  @Test
  void aRunOfNoTrainingQuestionIsAnError() throws Exception {
    Files.writeString(run, "other Q0 Nation_0_p0 1 1.0 bm25\n");
    assertThatThrownBy(() -> trainer(tmp.resolve("none"), Progress.NONE).train())
        .hasMessageContaining("the run ranks no question of split dev of");
  }
}
