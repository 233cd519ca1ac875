package dev.quarry.rocketqa;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.cli.QuarryCli;
import dev.quarry.data.BeirFormat;
import dev.quarry.data.Dataset;
import dev.quarry.data.Datasets;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.io.JsonLines;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.Pooling;
import dev.quarry.model.TinyModels;
import dev.quarry.util.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The whole RocketQA recipe through the command line on a small BEIR-format dataset with a tiny model. */
class RocketQaPipelineTest {
  @TempDir
  Path tmp;

  private Path dataset() throws Exception {
    Path data = tmp.resolve("data");
    List<Passage> passages = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      passages.add(new Passage("d" + i, "Study " + i + " of topic " + (i % 10), "passage " + i + " on subject " + (i % 10)));
    }
    BeirFormat.writeCorpus(data.resolve("corpus.jsonl"), passages);
    List<Query> queries = new ArrayList<>();
    StringBuilder train = new StringBuilder("query-id\tcorpus-id\tscore\n");
    StringBuilder test = new StringBuilder("query-id\tcorpus-id\tscore\n");
    for (int q = 0; q < 16; q++) {
      queries.add(new Query("q" + q, "subject " + (q % 10)));
      (q < 12 ? train : test).append("q").append(q).append("\td").append(q % 10).append("\t1\n");
    }
    // a training query judged only not relevant: a query of the split without a training group, so a dev carve of
    // the split's queries differs from the trainers' carve of their groups' queries
    queries.add(new Query("q16", "subject 3"));
    train.append("q16\td20\t0\n");
    BeirFormat.writeQueries(data.resolve("queries.jsonl"), queries);
    Files.createDirectories(data.resolve("qrels"));
    Files.writeString(data.resolve("qrels/train.tsv"), train.toString());
    Files.writeString(data.resolve("qrels/test.tsv"), test.toString());
    return data;
  }

  /**
   * Stages of one epoch on the tiny model. The thresholds keep every retrieved passage a negative candidate: an
   * untrained cross-encoder's probabilities say nothing, and the plumbing, not the denoising, is under test here
   * (DenoiserTest and AugmenterTest test those).
   */
  /** The same data in MS MARCO's layout (no titles, so no pseudo-queries: MD2 trains on MD1's data alone). */
  private Path msMarco() throws Exception {
    Path data = tmp.resolve("msmarco");
    Files.createDirectories(data);
    StringBuilder collection = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      collection.append(i).append("\tpassage ").append(i).append(" on subject ").append(i % 10).append('\n');
    }
    StringBuilder trainQ = new StringBuilder();
    StringBuilder trainR = new StringBuilder();
    StringBuilder testQ = new StringBuilder();
    StringBuilder testR = new StringBuilder();
    for (int q = 0; q < 16; q++) {
      (q < 12 ? trainQ : testQ).append(100 + q).append("\tsubject ").append(q % 10).append('\n');
      (q < 12 ? trainR : testR).append(100 + q).append("\t0\t").append(q % 10).append("\t1\n");
    }
    Files.writeString(data.resolve("collection.tsv"), collection.toString());
    Files.writeString(data.resolve("queries.train.tsv"), trainQ.toString());
    Files.writeString(data.resolve("qrels.train.tsv"), trainR.toString());
    Files.writeString(data.resolve("queries.dev.small.tsv"), testQ.toString());
    Files.writeString(data.resolve("qrels.dev.small.tsv"), testR.toString());
    return data;
  }

  /** The same data in DPR's layout: a passages TSV with titles and one JSON file of questions per split. */
  private Path dpr() throws Exception {
    Path data = tmp.resolve("dpr");
    Files.createDirectories(data);
    StringBuilder passages = new StringBuilder("id\ttext\ttitle\n");
    for (int i = 0; i < 30; i++) {
      passages.append(i).append("\tpassage ").append(i).append(" on subject ").append(i % 10).append("\tStudy ")
          .append(i).append(" of topic ").append(i % 10).append('\n');
    }
    Files.writeString(data.resolve("psgs_w100.tsv"), passages.toString());
    StringBuilder train = new StringBuilder("[");
    StringBuilder test = new StringBuilder("[");
    for (int q = 0; q < 16; q++) {
      StringBuilder target = q < 12 ? train : test;
      target.append(target.length() > 1 ? "," : "").append("{\"question\": \"subject ").append(q % 10)
          .append("\", \"answers\": [\"subject ").append(q % 10).append("\"], \"positive_ctxs\": [{\"title\": \"\", ")
          .append("\"text\": \"\", \"passage_id\": \"").append(q % 10).append("\"}], \"negative_ctxs\": [], ")
          .append("\"hard_negative_ctxs\": []}");
    }
    Files.writeString(data.resolve("train.json"), train.append("]").toString());
    Files.writeString(data.resolve("test.json"), test.append("]").toString());
    return data;
  }

  @Test
  void runsOnDprLayout() throws Exception {
    Path model = TinyModels.create(tmp.resolve("model"), new EncoderRecipe(Pooling.MEAN, true, "", "", 16, 16), 4);
    Path out = tmp.resolve("out-dpr");
    StringWriter err = new StringWriter();
    assertThat(run(err, "pipeline", "--config", config(model).toString(), "--dataset", dpr().toString(),
        "--output", out.toString(), "--cache", tmp.resolve("cache").toString())).as(err.toString()).isZero();
    JsonNode md2 = JsonLines.MAPPER.readTree(out.resolve("md2/manifest.json").toFile()).path("inputs");
    assertThat(md2.path("pseudo_queries").asInt()).as("titles of unjudged passages").isEqualTo(8);
    assertReportIsTheEvaluationOfTheStageRuns(out, tmp.resolve("dpr"), "test", List.of("md0", "mc", "md1", "md2"));
  }

  @Test
  void aStageKilledMidTrainingResumesFromItsCheckpointToTheSameModels() throws Exception {
    Path data = dataset();
    Path model = TinyModels.create(tmp.resolve("model"), new EncoderRecipe(Pooling.MEAN, true, "", "", 16, 16), 4);
    Path configFile = config(model);
    Files.writeString(configFile,
        Files.readString(configFile).replace("pipeline: {", "pipeline: {stage_init: previous, "));
    RocketQaConfig config = RocketQaConfig.load(configFile);
    Dataset dataset = Datasets.open(data);
    Path whole = tmp.resolve("whole");
    new RocketQaPipeline(config, dataset, "train", "test", whole, tmp.resolve("cache"), Progress.NONE).run();

    // the third training (MD1) dies at its second step; its first is checkpointed
    Path killed = tmp.resolve("killed");
    assertThatThrownBy(() -> new RocketQaPipeline(config, dataset, "train", "test", killed, tmp.resolve("cache"),
        crashInTrainingTask(3, 2)).run()).hasMessageContaining("simulated crash");
    assertThat(killed.resolve("md1/manifest.json")).doesNotExist();
    assertThat(killed.resolve("md1/checkpoints")).isNotEmptyDirectory();
    long md0Done = Files.getLastModifiedTime(killed.resolve("md0/manifest.json")).toMillis();
    new RocketQaPipeline(config, dataset, "train", "test", killed, tmp.resolve("cache"), Progress.NONE).run();
    assertThat(Files.getLastModifiedTime(killed.resolve("md0/manifest.json")).toMillis()).isEqualTo(md0Done);
    for (String stage : List.of("md1", "md2")) {
      assertThat(Files.readAllBytes(killed.resolve(stage).resolve("model/model.safetensors"))).as(stage)
          .isEqualTo(Files.readAllBytes(whole.resolve(stage).resolve("model/model.safetensors")));
    }
    assertThat(Files.readString(killed.resolve("md1/config.yaml"))).as("MD1 starts from MD0's model")
        .contains(killed.resolve("md0/model").toAbsolutePath().toString());
  }

  /** A progress that throws at the {@code step}-th step of the {@code task}-th "train" task (1-based). */
  private static Progress crashInTrainingTask(int task, long step) {
    AtomicLong tasks = new AtomicLong();
    return (name, total) -> {
      if (!name.equals("train") || tasks.incrementAndGet() != task) {
        return Progress.Task.NONE;
      }
      AtomicLong steps = new AtomicLong();
      return new Progress.Task() {
        @Override
        public void step(long n) {
          if (n > 0 && steps.addAndGet(n) == step) {
            throw new IllegalStateException("simulated crash");
          }
        }

        @Override
        public void close() {
        }
      };
    };
  }

  @Test
  void runsOnMsMarcoLayout() throws Exception {
    Path model = TinyModels.create(tmp.resolve("model"), new EncoderRecipe(Pooling.MEAN, true, "", "", 16, 16), 4);
    Path out = tmp.resolve("out-msmarco");
    StringWriter err = new StringWriter();
    assertThat(run(err, "pipeline", "--config", config(model).toString(), "--dataset", msMarco().toString(),
        "--test-split", "dev.small", "--output", out.toString(), "--cache", tmp.resolve("cache").toString()))
        .as(err.toString()).isZero();
    JsonNode md2 = JsonLines.MAPPER.readTree(out.resolve("md2/manifest.json").toFile()).path("inputs");
    assertThat(md2.path("pseudo_queries").asInt()).isZero();
    assertReportIsTheEvaluationOfTheStageRuns(out, tmp.resolve("msmarco"), "dev.small",
        List.of("md0", "mc", "md1", "md2"));
  }

  private Path config(Path model) throws Exception {
    String dual = """
          model: {name: %s, passage_max_length: 16}
          data: {dev: {queries: 4, seed: 1}, negatives_per_query: 1}
          training: {epochs: 1, batch_size: 4, learning_rate: 1.0e-3, warmup_ratio: 0, seed: 2, checkpoint_every: 1,
                     gradient_cache: {enabled: true, chunk_size: 2}}
        """.formatted(model);
    Path file = tmp.resolve("rocketqa.yaml");
    Files.writeString(file, "pipeline: {depth: 6, md1_negatives_to: 6, pseudo_queries: 8, augmentation_ratio: 0.5, "
        + "negative_below: 0.999999, positive_above: 0.999999}\nmd0:\n" + dual + "mc:\n"
        + "  model: {name: " + model + ", max_length: 24}\n"
        + "  data: {dev: {queries: 4, seed: 1}, negatives_per_query: 2, rerank_depth: 6}\n"
        + "  training: {epochs: 1, batch_size: 4, learning_rate: 1.0e-3, warmup_ratio: 0, seed: 2, checkpoint_every: 1}\n"
        + "md1:\n" + dual + "md2:\n" + dual);
    return file;
  }

  /**
   * Each stage's test metrics in report.json equal an evaluation, apart from the pipeline, of the run the stage wrote
   * (OUT/stage/test.trec: MD0, MD1 and MD2's retrieval, MC's reranking of MD0's top).
   */
  private static void assertReportIsTheEvaluationOfTheStageRuns(Path out, Path data, String testSplit,
      List<String> stageNames) throws Exception {
    Dataset dataset = Datasets.open(data);
    JsonNode stages = JsonLines.MAPPER.readTree(out.resolve("report.json").toFile()).path("stages");
    for (String stage : stageNames) {
      dev.quarry.eval.EvalReport expected = new dev.quarry.eval.Evaluator(dev.quarry.eval.EvalConfig.DEFAULT)
          .evaluate(dataset.qrels(testSplit), dev.quarry.data.TrecFormat.readAnyRun(out.resolve(stage)
              .resolve("test.trec")), dev.quarry.eval.Metric.parseList("ndcg@10,recall@100,mrr@10"));
      for (String metric : List.of("ndcg@10", "recall@100", "mrr@10")) {
        assertThat(stages.path(stage).path(metric).asDouble(-1)).as("%s %s", stage, metric)
            .isCloseTo(expected.mean(metric), org.assertj.core.api.Assertions.within(1e-12));
      }
    }
  }

  /**
   * MD1's denoising report against the denoised run it wrote: MD0 retrieved {@code depth} (6) passages for each of
   * the 13 queries of the training split (q16, judged only not relevant, included); the denoised run holds the labeled positives and the kept negatives, and the dropped
   * ratio is the unlabeled passages not kept over the unlabeled passages.
   */
  private static JsonNode assertDenoiseCountsAddUp(Path out) throws Exception {
    JsonNode total = JsonLines.MAPPER.readTree(out.resolve("md1/denoise.json").toFile()).path("total");
    assertThat(JsonLines.MAPPER.readTree(out.resolve("report.json").toFile()).path("denoise")).isEqualTo(total);
    long retrieved = total.path("retrieved").asLong(-1);
    long labeled = total.path("labeled_positive").asLong(-1);
    long kept = total.path("kept_negative").asLong(-1);
    assertThat(retrieved).isEqualTo(13 * 6);
    assertThat(labeled).isBetween(0L, 12L);   // one judged passage per training query
    long denoisedLines = Files.readAllLines(out.resolve("md1/denoised-train.trec")).size();
    assertThat(denoisedLines).as("labeled positives + kept negatives").isEqualTo(labeled + kept);
    assertThat(total.path("dropped_ratio").asDouble(-1))
        .isCloseTo((double) (retrieved - labeled - kept) / (retrieved - labeled),
            org.assertj.core.api.Assertions.within(1e-12));
    return total;
  }

  private int run(StringWriter err, String... args) {
    return QuarryCli.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err, true));
  }

  @Test
  void runsFourStagesWritesTheReportAndSkipsFinishedStages() throws Exception {
    Path data = dataset();
    Path model = TinyModels.create(tmp.resolve("model"), new EncoderRecipe(Pooling.MEAN, true, "", "", 16, 16), 4);
    Path config = config(model);
    Path out = tmp.resolve("out");
    String[] args = {"pipeline", "--config", config.toString(), "--dataset", data.toString(), "--output",
        out.toString(), "--cache", tmp.resolve("cache").toString()};
    StringWriter err = new StringWriter();
    assertThat(run(err, args)).as(err.toString()).isZero();
    JsonNode report = JsonLines.MAPPER.readTree(out.resolve("report.json").toFile());
    double minutes = 0;
    for (String stage : List.of("md0", "mc", "md1", "md2")) {
      assertThat(report.path("stages").path(stage).path("minutes").isNumber()).as(stage).isTrue();
      minutes += report.path("stages").path(stage).path("minutes").asDouble();
      assertThat(out.resolve(stage).resolve("model/config.json")).exists();
      assertThat(out.resolve(stage).resolve("config.yaml")).exists();
    }
    assertThat(report.path("total_minutes").asDouble(-1)).isCloseTo(minutes,
        org.assertj.core.api.Assertions.within(1e-12));
    assertReportIsTheEvaluationOfTheStageRuns(out, data, "test", List.of("md0", "mc", "md1", "md2"));
    // the thresholds (0.999999) keep every unlabeled passage a negative: none judged positive, none dropped
    JsonNode denoise = assertDenoiseCountsAddUp(out);
    assertThat(denoise.path("judged_positive").asLong(-1)).isZero();
    assertThat(denoise.path("kept_negative").asLong(-1))
        .isEqualTo(denoise.path("retrieved").asLong() - denoise.path("labeled_positive").asLong());
    assertThat(denoise.path("dropped_ratio").asDouble(-1)).isZero();
    assertThat(Files.readString(out.resolve("report.md"))).contains("| md2 |").contains("## Denoising");
    JsonNode md2 = JsonLines.MAPPER.readTree(out.resolve("md2/manifest.json").toFile()).path("inputs");
    assertThat(md2.path("pseudo_queries").asInt()).isEqualTo(8);
    // MC labeled MD1's top 6 of the 4 dev queries; the relevant pairs among them are what the train qrels say of
    // MD1's dev run (the same exact search, 1000 deep); at 0.999999 every pair is labeled negative
    JsonNode quality = md2.path("label_quality");
    assertThat(quality.path("queries").asInt()).isEqualTo(4);
    assertThat(quality.path("pairs").asInt()).isEqualTo(24);
    dev.quarry.data.Run md1Dev = dev.quarry.data.TrecFormat.readAnyRun(out.resolve("md1/dev.trec"));
    dev.quarry.data.Qrels qrels = Datasets.open(data).qrels("train");
    long relevant = md1Dev.queryIds().stream().mapToLong(q -> md1Dev.docs(q).subList(0, 6).stream()
        .filter(d -> qrels.judgments(q).getOrDefault(d.docId(), 0) > 0).count()).sum();
    assertThat(quality.path("judged_relevant_pairs").asLong()).isEqualTo(relevant).isPositive();
    JsonNode negativeRow = quality.path("thresholds").get(0);
    assertThat(negativeRow.path("negative_labels").asInt()).isEqualTo(24);
    assertThat(negativeRow.path("negative_recall").asDouble()).isEqualTo(1.0);
    assertThat(out.resolve("md2/label-quality.json")).exists();
    assertThat(Files.readString(out.resolve("report.md"))).contains("## How far MC's labels can be trusted")
        .contains("| negative (p < 0.999999) | 24 |");
    // MC (a cross-encoder) chose its checkpoint and fitted its calibration on its own dev queries: the overlap is
    // counted and said
    java.util.Set<String> mcDev = new java.util.HashSet<>();
    JsonLines.MAPPER.readTree(out.resolve("mc/run.json").toFile()).path("dev_queries")
        .forEach(q -> mcDev.add(q.asText()));
    long overlap = md1Dev.queryIds().stream().filter(mcDev::contains).count();
    assertThat(quality.path("judge_dev_overlap").asLong()).isEqualTo(overlap);
    if (overlap > 0) {
      assertThat(Files.readString(out.resolve("report.md"))).contains(overlap + " of these queries are among those "
          + "MC was fitted on");
    }

    long before = Files.getLastModifiedTime(out.resolve("md0/manifest.json")).toMillis();
    StringWriter again = new StringWriter();
    assertThat(run(again, args)).as(again.toString()).isZero();
    assertThat(Files.getLastModifiedTime(out.resolve("md0/manifest.json")).toMillis()).isEqualTo(before);

    // a changed md1 section (--set) does not pass for the finished md1: the run stops at md1 and rewrites nothing
    String md2Manifest = Files.readString(out.resolve("md2/manifest.json"));
    String[] changed = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
        java.util.stream.Stream.of("--set", "md1.training.learning_rate=0.02")).toArray(String[]::new);
    StringWriter refused = new StringWriter();
    assertThat(run(refused, changed)).isEqualTo(1);
    assertThat(refused.toString()).contains("stage md1 in " + out.resolve("md1")
        + " was finished under another config").contains("delete " + out.resolve("md1"));
    assertThat(Files.getLastModifiedTime(out.resolve("md0/manifest.json")).toMillis()).isEqualTo(before);
    assertThat(Files.readString(out.resolve("md2/manifest.json"))).isEqualTo(md2Manifest);
  }

  @Test
  void stageSectionsAreCheckedBeforeAnythingRuns() throws Exception {
    Path model = TinyModels.create(tmp.resolve("model"), new EncoderRecipe(Pooling.MEAN, true, "", "", 16, 16), 4);
    Path config = config(model);
    Files.writeString(config, Files.readString(config).replaceFirst("learning_rate", "lerning_rate"));
    assertThatThrownBy(() -> RocketQaConfig.load(config)).hasMessageContaining("unknown key training.lerning_rate");
    Files.writeString(config, "pipeline: {depth: 6, bogus: 1}\n");
    assertThatThrownBy(() -> RocketQaConfig.load(config)).hasMessageContaining("unknown key pipeline.bogus");
    String valid = Files.readString(config(TinyModels.create(tmp.resolve("m2"),
        new EncoderRecipe(Pooling.MEAN, true, "", "", 16, 16), 4)));
    Files.writeString(config, valid + "controls: [md1_undenoised, md3_whatever]\n");
    assertThatThrownBy(() -> RocketQaConfig.load(config)).hasMessageContaining("md3_whatever")
        .hasMessageContaining("md1_undenoised");
    Files.writeString(config, valid + "controls: [md1_undenoised, md1_undenoised]\n");
    assertThatThrownBy(() -> RocketQaConfig.load(config)).hasMessageContaining("lists a control twice");
    Files.writeString(config, valid + "controls: [md2_other_init]\n");
    RocketQaConfig withControl = RocketQaConfig.load(config);
    assertThat(withControl.controls()).containsExactly(Control.MD2_OTHER_INIT);
    Files.writeString(config, valid);
    assertThat(RocketQaConfig.load(config).stageSha256(Stage.MD2)).as("controls do not redo finished stages")
        .isEqualTo(withControl.stageSha256(Stage.MD2));
  }

  /** The pipeline with a fusion teacher in MC's place: BM25 and MD0's model, fitted on the 4 dev queries. */
  private Path teacherConfig(Path model) throws Exception {
    String dual = """
          model: {name: %s, passage_max_length: 16}
          data: {dev: {queries: 4, seed: 1}, negatives_per_query: 1}
          training: {epochs: 1, batch_size: 4, learning_rate: 1.0e-3, warmup_ratio: 0, seed: 2, checkpoint_every: 1}
        """.formatted(model);
    Path file = tmp.resolve("rocketqa-teacher.yaml");
    Files.writeString(tmp.resolve("query-log.txt"), "subject 1\nstudy of topic 2\n\nsubject 7 passage\ntopic 9\n"
        + "passage 4\n");
    Files.writeString(file, "pipeline: {depth: 6, md1_negatives_from: 2, md1_negatives_to: 5, pseudo_queries: 8, "
        + "augmentation_ratio: 1.0, unlabeled_queries: query-log.txt}\n"
        + "teacher: {members: [bm25, md0], normalization_depth: 10, pool_depth: 6, weight_step: 0.25, "
        + "dev: {queries: 4, seed: 1}}\nmd0:\n" + dual + "md1:\n" + dual + "md2:\n" + dual
        + "  distillation: {weight: 1.0, teacher_temperature: 0.5}\n"
        + "controls: [md1_undenoised, md2_unaugmented, md1_other_init, md2_other_init]\n");
    return file;
  }

  @Test
  void aFusionTeacherTakesMcsPlaceAndDenoisesAndLabels() throws Exception {
    Path data = dataset();
    Path model = TinyModels.create(tmp.resolve("model"), new EncoderRecipe(Pooling.MEAN, true, "", "", 16, 16), 4);
    Path out = tmp.resolve("out");
    String[] args = {"pipeline", "--config", teacherConfig(model).toString(), "--dataset", data.toString(),
        "--output", out.toString(), "--cache", tmp.resolve("cache").toString()};
    StringWriter err = new StringWriter();
    assertThat(run(err, args)).as(err.toString()).isZero();
    JsonNode teacher = JsonLines.MAPPER.readTree(out.resolve("mc/teacher.json").toFile());
    assertThat(teacher.path("members").get(0).asText()).isEqualTo("bm25");
    assertThat(teacher.path("members").get(1).asText()).isEqualTo(out.resolve("md0/model").toAbsolutePath()
        .toString());
    assertThat(teacher.path("weights").get(0).asDouble() + teacher.path("weights").get(1).asDouble())
        .isCloseTo(1, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(out.resolve("mc/model")).doesNotExist();
    JsonNode report = JsonLines.MAPPER.readTree(out.resolve("report.json").toFile());
    assertThat(report.path("stages").path("mc").path("judge").asText()).isEqualTo("teacher");
    // Query "subject 3" is judged to d3 only, but d13 and d23 say "subject 3" too: BM25 knows, so the teacher
    // drops some retrieved unlabeled passages as likely false negatives. It is never confident of a positive here
    // (each dev query has three equal passages, one judged, so calibration tops out near 1/3): every unlabeled
    // query is counted, with or without a group. They come from the user's query log (5 of its lines hold a query),
    // found beside the config file.
    JsonNode denoise = assertDenoiseCountsAddUp(out);
    assertThat(denoise.path("dropped_ratio").asDouble()).isPositive();
    assertThat(denoise.path("judged_positive").asLong(-1)).as("never confident of a positive").isZero();
    JsonNode augmentation = report.path("augmentation");
    assertThat(augmentation.path("pseudo_queries").asInt()).isEqualTo(5);
    assertThat(augmentation.path("augmented_groups").asInt() + augmentation.path("without_confident_positive").asInt()
        + augmentation.path("without_confident_negative").asInt()).isEqualTo(5);
    assertThat(dev.quarry.data.TrecFormat.readAnyRun(out.resolve("md2/pseudo-queries.trec")).queryIds())
        .contains("unlabeled-1", "unlabeled-6");
    Dataset dataset = Datasets.open(data);
    for (String stage : List.of("md0", "md1", "md2")) {
      assertThat(out.resolve(stage).resolve("model/config.json")).exists();
      dev.quarry.data.Run devRun = dev.quarry.data.TrecFormat.readAnyRun(out.resolve(stage).resolve("dev.trec"));
      assertThat(devRun.queryIds()).as("the 4 dev queries").hasSize(4);
      java.util.Set<String> trainerDev = new java.util.HashSet<>();
      JsonLines.MAPPER.readTree(out.resolve(stage).resolve("run.json").toFile()).path("dev_queries")
          .forEach(q -> trainerDev.add(q.asText()));
      assertThat(new java.util.HashSet<>(devRun.queryIds())).as(stage + ": the trainer's own dev queries")
          .isEqualTo(trainerDev);
      // the stage's dev nDCG@10 is its dev run's, judged by the train qrels of those 4 queries only
      double devNdcg = new dev.quarry.eval.Evaluator(dev.quarry.eval.EvalConfig.DEFAULT).evaluate(
          dataset.qrels("train").restrictTo(new java.util.HashSet<>(devRun.queryIds())), devRun,
          dev.quarry.eval.Metric.parseList("ndcg@10")).mean("ndcg@10");
      assertThat(report.path("stages").path(stage).path("dev").path("ndcg@10").asDouble(-1)).as(stage)
          .isCloseTo(devNdcg, org.assertj.core.api.Assertions.within(1e-12));
    }
    assertReportIsTheEvaluationOfTheStageRuns(out, data, "test", List.of("md0", "mc", "md1", "md2"));
    // MD2 distills: its groups carry MC's score of every passage, cached beside them; MD1 does not
    List<dev.quarry.mine.TrainGroup> md2Groups = dev.quarry.mine.TrainGroupFormat.read(out.resolve("md2/groups.jsonl"));
    assertThat(md2Groups).isNotEmpty().allSatisfy(g -> assertThat(g.teacherScores())
        .hasSize(g.positives().size() + g.negatives().size()));
    assertThat(out.resolve("md2/teacher-scores.jsonl")).exists();
    assertThat(dev.quarry.mine.TrainGroupFormat.read(out.resolve("md1/groups.jsonl")))
        .allSatisfy(g -> assertThat(g.teacherScores()).isEmpty());
    assertThat(out.resolve("md1/teacher-scores.jsonl")).doesNotExist();
    assertThat(report.path("augmentation").path("label_quality").path("queries").asInt()).isEqualTo(4);
    assertControls(out, data, report);
    // the labels are measured on MD1's own dev queries; the teacher carves its dev queries by the same rule from
    // the split's queries with a relevant judgment (q16 left out), so it was fitted on the same 4
    java.util.Set<String> md1Dev = new java.util.HashSet<>();
    JsonLines.MAPPER.readTree(out.resolve("md1/run.json").toFile()).path("dev_queries")
        .forEach(q -> md1Dev.add(q.asText()));
    assertThat(dev.quarry.teacher.TeacherFit.devQueries(new dev.quarry.train.DevSplitConfig(4, 1), Datasets.open(data),
        "train")).extracting(Query::id).containsExactlyInAnyOrderElementsOf(md1Dev);
    assertThat(report.path("augmentation").path("label_quality").path("judge_dev_overlap").asInt())
        .as("the teacher was fitted on the same 4 dev queries").isEqualTo(4);
    assertThat(Files.readString(out.resolve("report.md"))).contains("4 of these queries are among those MC was "
        + "fitted on");
  }

  /** The four controls of the teacher config: each differs from its stage in the one thing it names. */
  private static void assertControls(Path out, Path data, JsonNode report) throws Exception {
    Path controls = out.resolve("controls");
    // MD1 without denoising: its negatives come from MD0's raw top 6, never a labeled positive; denoising dropped
    // some passages, and some of those are the control's negatives
    dev.quarry.data.Run md0Train = dev.quarry.data.TrecFormat.readAnyRun(out.resolve("mc/md0-train.trec"));
    dev.quarry.data.Run denoised = dev.quarry.data.TrecFormat.readAnyRun(out.resolve("md1/denoised-train.trec"));
    dev.quarry.data.Qrels qrels = Datasets.open(data).qrels("train");
    List<dev.quarry.mine.TrainGroup> undenoised = dev.quarry.mine.TrainGroupFormat.read(
        controls.resolve("md1-undenoised/groups.jsonl"));
    List<dev.quarry.mine.TrainGroup> md1Groups = dev.quarry.mine.TrainGroupFormat.read(out.resolve("md1/groups.jsonl"));
    assertThat(undenoised).hasSameSizeAs(md1Groups);
    // both draw from MD0's ranks 2..5 (md1_negatives_from..to), MD1 less what denoising dropped
    dev.quarry.data.Run md0Window = md0Train.ranks(2, 5);
    for (dev.quarry.mine.TrainGroup g : md1Groups) {
      List<String> window = md0Window.docs(g.queryId()).stream().map(dev.quarry.data.ScoredDoc::docId).toList();
      g.negatives().forEach(n -> assertThat(window).as("MD1's negatives lie in MD0's window")
          .contains(n.passage().id()));
    }
    long fromDropped = 0;
    for (dev.quarry.mine.TrainGroup g : undenoised) {
      List<String> top = md0Window.docs(g.queryId()).stream().map(dev.quarry.data.ScoredDoc::docId).toList();
      java.util.Set<String> kept = new java.util.HashSet<>(denoised.docs(g.queryId()).stream()
          .map(dev.quarry.data.ScoredDoc::docId).toList());
      for (dev.quarry.mine.TrainGroup.Negative n : g.negatives()) {
        assertThat(top).contains(n.passage().id());
        assertThat(qrels.judgments(g.queryId())).doesNotContainKey(n.passage().id());
        fromDropped += kept.contains(n.passage().id()) ? 0 : 1;
      }
    }
    assertThat(fromDropped).as("negatives denoising would have dropped").isPositive();
    // MD2 without augmentation: as many groups as MD2's mix, every one a labeled query's
    java.util.Set<String> labeled = new java.util.HashSet<>(
        md1Groups.stream().map(dev.quarry.mine.TrainGroup::queryId).toList());
    List<dev.quarry.mine.TrainGroup> unaugmented = dev.quarry.mine.TrainGroupFormat.read(
        controls.resolve("md2-unaugmented/groups.jsonl"));
    assertThat(unaugmented).allSatisfy(g -> assertThat(labeled).contains(g.queryId().replaceAll("#copy\\d+$", "")));
    // every control trains on as many groups, for as many steps, as its stage, over the same dev queries
    for (String[] pair : new String[][] {{"md1-undenoised", "md1"}, {"md2-unaugmented", "md2"},
        {"md1-other-init", "md1"}, {"md2-other-init", "md2"}}) {
      JsonNode control = JsonLines.MAPPER.readTree(controls.resolve(pair[0]).resolve("run.json").toFile());
      JsonNode stage = JsonLines.MAPPER.readTree(out.resolve(pair[1]).resolve("run.json").toFile());
      assertThat(control.path("train_groups").asInt()).as(pair[0]).isEqualTo(stage.path("train_groups").asInt());
      assertThat(control.path("total_steps").asInt()).as(pair[0]).isEqualTo(stage.path("total_steps").asInt());
      assertThat(control.path("dev_queries")).as(pair[0]).isEqualTo(stage.path("dev_queries"));
    }
    // (this teacher labels no unlabeled query, so no padding here: AugmenterTest pins the padding itself)
    // the other start: stage_init is base here, so the controls start from the previous stage's model
    assertThat(Files.readString(controls.resolve("md1-other-init/config.yaml")))
        .contains(out.resolve("md0/model").toAbsolutePath().toString());
    assertThat(Files.readString(controls.resolve("md2-other-init/config.yaml")))
        .contains(out.resolve("md1/model").toAbsolutePath().toString());
    assertThat(Files.readString(out.resolve("md2/config.yaml")))
        .doesNotContain(out.resolve("md1/model").toAbsolutePath().toString());
    // the report: each control's row against its stage
    for (String name : List.of("md1-undenoised", "md2-unaugmented", "md1-other-init", "md2-other-init")) {
      JsonNode c = report.path("controls").path(name);
      String stage = c.path("controls").asText();
      assertThat(stage).as(name).isEqualTo(name.substring(0, 3));
      assertThat(c.path("stage_minus_control").asDouble()).as(name).isCloseTo(
          report.path("stages").path(stage).path("ndcg@10").asDouble() - c.path("ndcg@10").asDouble(),
          org.assertj.core.api.Assertions.within(1e-9));
      assertThat(c.path("randomization_p").asDouble(-1)).as(name).isBetween(0.0, 1.0);
      assertThat(controls.resolve(name).resolve("manifest.json")).exists();
    }
    assertThat(Files.readString(out.resolve("report.md"))).contains("## Controls").contains("| md1 without denoising |")
        .contains("| md2 from the other start |");
  }

  @Test
  void aTeacherAndAnMcSectionTogetherAreAnError() throws Exception {
    Path model = TinyModels.create(tmp.resolve("model"), new EncoderRecipe(Pooling.MEAN, true, "", "", 16, 16), 4);
    Path config = teacherConfig(model);
    Files.writeString(config, Files.readString(config) + "mc: {model: {name: x}}\n");
    assertThatThrownBy(() -> RocketQaConfig.load(config)).hasMessageContaining("either a teacher section")
        .hasMessageContaining(config.toString()).hasMessageEndingWith("not both");
    Files.writeString(config, Files.readString(teacherConfig(model)).replaceAll("(?s)\nteacher:.*?\n(?=md0:)", "\n"));
    assertThatThrownBy(() -> RocketQaConfig.load(config)).hasMessageEndingWith("found neither");
    Files.writeString(config, Files.readString(teacherConfig(model)).replace("members: [bm25, md0]", "members: []"));
    assertThatThrownBy(() -> RocketQaConfig.load(config)).hasMessageContaining("teacher.members");
  }
}
