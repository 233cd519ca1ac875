package dev.quarry.rerank;

import dev.quarry.data.BeirFormat;
import dev.quarry.data.Dataset;
import dev.quarry.data.Datasets;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.io.DataFormatException;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.ModelDirectory;
import dev.quarry.model.Pooling;
import dev.quarry.model.Safetensors;
import dev.quarry.model.TinyModels;
import dev.quarry.testing.TrainingRuns;
import dev.quarry.train.TrainingJob;
import dev.quarry.util.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CrossEncoderTrainerTest {
  @TempDir
  Path tmp;
  Dataset dataset;
  Path config;

  @BeforeEach
  void setUp() throws Exception {
    Path data = tmp.resolve("data");
    List<Passage> passages = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      passages.add(new Passage("d" + i, "Topic " + (i % 10), "passage " + i + " on subject " + (i % 10)));
    }
    BeirFormat.writeCorpus(data.resolve("corpus.jsonl"), passages);
    List<Query> queries = new ArrayList<>();
    StringBuilder qrels = new StringBuilder("query-id\tcorpus-id\tscore\n");
    StringBuilder groups = new StringBuilder();
    StringBuilder run = new StringBuilder();
    for (int q = 0; q < 12; q++) {
      queries.add(new Query("q" + q, "subject " + (q % 10)));
      int pos = q % 10;
      qrels.append("q").append(q).append("\td").append(pos).append("\t1\n");
      groups.append("{\"query_id\":\"q").append(q).append("\",\"query\":\"subject ").append(q % 10)
          .append("\",\"positives\":[{\"id\":\"d").append(pos).append("\",\"title\":\"Topic ").append(pos)
          .append("\",\"text\":\"passage ").append(pos).append(" on subject ").append(pos).append("\"}],\"negatives\":[");
      for (int n = 0; n < 2; n++) {
        int neg = (q + 3 + n) % 10 + 10;
        groups.append(n == 0 ? "" : ",").append("{\"id\":\"d").append(neg).append("\",\"title\":\"\",\"text\":\"passage ")
            .append(neg).append("\",\"source\":\"bm25\",\"rank\":").append(n + 1).append(",\"score\":1.5}");
      }
      groups.append("]}\n");
      for (int r = 0; r < 5; r++) {
        int d = (q + r * 3) % 20;
        run.append("q").append(q).append(" Q0 d").append(d).append(' ').append(r + 1).append(' ').append(10 - r)
            .append(" bm25\n");
      }
    }
    BeirFormat.writeQueries(data.resolve("queries.jsonl"), queries);
    Files.createDirectories(data.resolve("qrels"));
    Files.writeString(data.resolve("qrels/train.tsv"), qrels.toString());
    Files.writeString(tmp.resolve("groups.jsonl"), groups.toString());
    Files.writeString(tmp.resolve("train.trec"), run.toString());
    dataset = Datasets.open(data);
    Path model = TinyModels.create(tmp.resolve("model"), new EncoderRecipe(Pooling.MEAN, true, "", "", 16, 16), 2);
    config = tmp.resolve("reranker.yaml");
    Files.writeString(config, """
        model: {name: %s, max_length: 24}
        data: {train: groups.jsonl, candidates: train.trec, dev: {queries: 4, seed: 13}, negatives_per_query: 2,
               rerank_depth: 5}
        training: {loss: listwise, epochs: 2, batch_size: 4, learning_rate: 1.0e-3, warmup_ratio: 0.25, seed: 5,
                   checkpoint_every: 1}
        """.formatted(model));
  }

  private CrossEncoderTrainer trainer(Path out, Progress progress) {
    return new CrossEncoderTrainer(RerankerConfig.load(config),
        new TrainingJob(config, dataset, "train", out, tmp.resolve("cache"), progress));
  }

  @Test
  void killedRunResumesToTheSameCrossEncoder() throws Exception {
    CrossEncoderTrainer.Summary whole = trainer(tmp.resolve("a"), Progress.NONE).train();
    assertThat(whole.steps()).isEqualTo(4);   // 8 training groups / 4 per step, 2 epochs
    assertThat(whole.devNdcg10()).containsOnlyKeys(1, 2);
    assertThat(CrossEncoder.isCrossEncoder(tmp.resolve("a/model"))).isTrue();
    assertThat(Files.readAllLines(tmp.resolve("a/metrics.jsonl"))).hasSize(6);

    Progress crashAtStep3 = TrainingRuns.crashAt(3);
    assertThatThrownBy(() -> trainer(tmp.resolve("b"), crashAtStep3).train()).hasMessage("simulated crash");
    assertThat(trainer(tmp.resolve("b"), Progress.NONE).train().steps()).isEqualTo(4);
    Path a = tmp.resolve("a/model").resolve(ModelDirectory.WEIGHTS);
    assertThat(Safetensors.read(a).keySet()).contains("bert.pooler.dense.weight", "classifier.weight",
        "bert.embeddings.word_embeddings.weight");
    TrainingRuns.assertResumedEqualsUninterrupted(a, tmp.resolve("b/model").resolve(ModelDirectory.WEIGHTS));
  }

  @Test
  void theCommandReranksTheTestRunWithTheSavedModelAndReportsBeforeAndAfter() throws Exception {
    Path out = tmp.resolve("cli");
    java.io.StringWriter err = new java.io.StringWriter();
    int code = dev.quarry.cli.QuarryCli.run(new String[] {"train-reranker", "--config", config.toString(), "--dataset",
        dataset.root().toString(), "--split", "train", "--output", out.toString(), "--cache",
        tmp.resolve("cache").toString(), "--test-run", tmp.resolve("train.trec").toString(), "--test-split", "train",
        "--top", "5"}, new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err, true));
    assertThat(code).as(err.toString()).isZero();
    var metrics = dev.quarry.io.JsonLines.MAPPER.readTree(out.resolve("metrics.json").toFile());
    assertThat(metrics.path("train").path("before").has("ndcg@10")).isTrue();
    assertThat(metrics.path("train").path("after").has("ndcg@10")).isTrue();
    assertThat(dev.quarry.data.TrecFormat.readAnyRun(out.resolve("train-reranked.trec")).queryIds()).hasSize(12);
  }

  @Test
  void configErrorsNameTheKey() throws Exception {
    String yaml = Files.readString(config);
    assertThatThrownBy(() -> RerankerConfig.parse(yaml.replace("loss: listwise", "loss: pairwise"), config))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("training.loss must be one of [pointwise, listwise]; training.loss=pairwise");
    assertThatThrownBy(() -> RerankerConfig.parse(yaml.replace("warmup_ratio", "temperature: 0.05, warmup_ratio"),
        config)).hasMessageContaining("unknown key training.temperature");
    assertThatThrownBy(() -> RerankerConfig.parse(yaml.replace("rerank_depth: 5", "rerank_depth: 0"), config))
        .hasMessageContaining("data.rerank_depth must be positive");
    assertThat(RerankerConfig.parse(yaml, config).sha256())
        .isNotEqualTo(RerankerConfig.parse(yaml.replace("loss: listwise", "loss: pointwise"), config).sha256());
  }

  @Test
  void distillsTheScoresScoreGroupsPutsOnTheGroups() throws Exception {
    String distilled = Files.readString(config) + "distillation: {weight: 1.0, teacher_temperature: 2.0}\n";
    Files.writeString(config, distilled);
    assertThatThrownBy(() -> trainer(tmp.resolve("unscored"), Progress.NONE).train())
        .hasMessageContaining("distillation needs a teacher_score on every passage")
        .hasMessageContaining("quarry score-groups");
    assertThat(tmp.resolve("unscored/checkpoints")).doesNotExist();

    // a teacher: an untrained cross-encoder, whose scores the student is pulled towards
    Path teacher = tmp.resolve("teacher");
    try (CrossEncoder ce = CrossEncoder.fromEncoder(tmp.resolve("model"), 24, 99)) {
      ce.save(teacher);
    }
    java.io.StringWriter err = new java.io.StringWriter();
    int code = dev.quarry.cli.QuarryCli.run(new String[] {"score-groups", "--model", teacher.toString(), "--dataset",
        dataset.root().toString(), "--groups", tmp.resolve("groups.jsonl").toString(), "--output",
        tmp.resolve("scored.jsonl").toString(), "--cache", tmp.resolve("cache").toString()},
        new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err, true));
    assertThat(code).as(err.toString()).isZero();
    List<dev.quarry.mine.TrainGroup> scored = dev.quarry.mine.TrainGroupFormat.read(tmp.resolve("scored.jsonl"));
    assertThat(scored).hasSize(12).allSatisfy(g -> assertThat(g.teacherScores()).hasSize(3));
    try (CrossEncoder ce = CrossEncoder.load(teacher, dev.quarry.model.InferenceEngine.DEFAULT)) {
      dev.quarry.mine.TrainGroup g = scored.get(0);
      float[] direct = ce.score(List.of(g.query()), List.of(g.positives().get(0).titleAndText()), 32);
      assertThat(g.teacherScores().get(g.positives().get(0).id())).isEqualTo((double) direct[0]);
    }

    Files.writeString(config, distilled.replace("train: groups.jsonl", "train: scored.jsonl"));
    CrossEncoderTrainer.Summary withTeacher = trainer(tmp.resolve("distilled"), Progress.NONE).train();
    Files.writeString(config, distilled.replace("train: groups.jsonl", "train: scored.jsonl")
        .replace("distillation: {weight: 1.0, teacher_temperature: 2.0}", "distillation: {weight: 0}"));
    CrossEncoderTrainer.Summary without = trainer(tmp.resolve("plain"), Progress.NONE).train();
    assertThat(withTeacher.steps()).isEqualTo(without.steps());
    // the same start, data and steps: only the distillation term differs, so the weights do
    float[] distilledHead = Safetensors.read(tmp.resolve("distilled/model").resolve(ModelDirectory.WEIGHTS))
        .get("classifier.weight").values();
    float[] plainHead = Safetensors.read(tmp.resolve("plain/model").resolve(ModelDirectory.WEIGHTS))
        .get("classifier.weight").values();
    assertThat(java.util.Arrays.equals(distilledHead, plainHead)).as("the heads are equal").isFalse();
    assertThat(RerankerConfig.load(config).toJson().has("distillation")).as("weight 0 hashes as no section").isFalse();
  }
}
