package dev.quarry.rocketqa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.data.Dataset;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.TrecFormat;
import dev.quarry.dense.DenseConfig;
import dev.quarry.dense.DenseRetriever;
import dev.quarry.dpr.DprTrainer;
import dev.quarry.dpr.TrainConfig;
import dev.quarry.eval.SplitEvaluation;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.JsonLines;
import dev.quarry.mine.MiningConfig;
import dev.quarry.mine.MiningReport;
import dev.quarry.mine.NegativeMiner;
import dev.quarry.mine.PositiveRule;
import dev.quarry.mine.TrainGroup;
import dev.quarry.mine.TrainGroupFormat;
import dev.quarry.model.InferenceEngine;
import dev.quarry.rerank.Candidates;
import dev.quarry.rerank.CrossEncoderTrainer;
import dev.quarry.rerank.GroupScoring;
import dev.quarry.rerank.LabelQuality;
import dev.quarry.rerank.PairJudge;
import dev.quarry.rerank.Reranker;
import dev.quarry.rerank.RerankerConfig;
import dev.quarry.teacher.FittedTeacher;
import dev.quarry.teacher.Judges;
import dev.quarry.teacher.TeacherConfig;
import dev.quarry.teacher.TeacherFit;
import dev.quarry.train.TrainingGroups;
import dev.quarry.train.TrainingJob;
import dev.quarry.util.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * RocketQA as one resumable job: MD0 (in-batch, cross-batch and random negatives) -> MC (a cross-encoder trained on
 * MD0's retrieved passages, or a fusion teacher fitted on dev when the config has a {@code teacher} section) -> MD1 (MD0's hard negatives denoised by MC) -> MD2 (MD1's data plus unlabeled queries
 * retrieved by MD1 and labeled by MC). Each stage works in {@code OUT/<stage>}: its generated inputs (runs, groups,
 * config), its trainer's outputs (model, metrics.jsonl, curves, checkpoints) and, last, {@code manifest.json} with
 * its test metrics and minutes. A stage with a manifest is done and skipped when the command runs again; a stage
 * killed mid-way regenerates its inputs (deterministically) and its trainer resumes from its checkpoint.
 */
public final class RocketQaPipeline {

  private final RocketQaConfig config;
  private final Dataset dataset;
  private final String split;
  private final String testSplit;
  private final Path out;
  private final Path cacheRoot;
  private final Progress progress;

  public RocketQaPipeline(RocketQaConfig config, Dataset dataset, String split, String testSplit, Path out,
      Path cacheRoot, Progress progress) {
    this.config = config;
    this.dataset = dataset;
    this.split = split;
    this.testSplit = testSplit;
    this.out = out;
    this.cacheRoot = cacheRoot;
    this.progress = progress;
  }

  /** Runs every stage not done yet, then every control; returns each stage's result, and writes the report. */
  public Map<Stage, StageResult> run() throws Exception {
    Map<Stage, StageResult> results = new EnumMap<>(Stage.class);
    for (Stage stage : Stage.values()) {
      results.put(stage, runOrRead(out.resolve(stage.dirName()), stage, "stage " + stage.dirName(),
          (dir, inputs) -> switch (stage) {
            case MD0 -> md0(dir, inputs);
            case MC -> config.teacher().isPresent() ? fitTeacher(dir, config.teacher().get(), inputs)
                : mc(dir, inputs);
            case MD1 -> md1(dir, inputs);
            case MD2 -> md2(dir, inputs);
          }));
    }
    Map<Control, StageResult> controls = new EnumMap<>(Control.class);
    for (Control control : config.controls()) {
      controls.put(control, runOrRead(controlDir(control), control.controls(), "control " + control.dirName(),
          (dir, inputs) -> control(control, dir, inputs)));
    }
    RocketQaReport.write(out, results, read(out.resolve(Stage.MD1.dirName()).resolve("denoise.json")), controls,
        dataset, testSplit, config.settings().seed());
    return results;
  }

  /** What a stage or a control does in its folder, filling in its inputs; returns its metrics. */
  @FunctionalInterface
  private interface Body {
    ObjectNode run(Path dir, ObjectNode inputs) throws Exception;
  }

  /**
   * A finished stage's or control's result from its manifest (which must have been made under this config), or
   * {@code body} run in {@code dir} and its manifest written last.
   */
  private StageResult runOrRead(Path dir, Stage stage, String what, Body body) throws Exception {
    Path manifest = dir.resolve(StageResult.FILE);
    String sha = config.stageSha256(stage);
    if (Files.exists(manifest)) {
      StageResult result = StageResult.read(manifest);
      String made = result.configSha256();
      if (!made.isEmpty() && !made.equals(sha)) {
        throw new IllegalStateException(what + " in " + dir + " was finished under another config (its section, an "
            + "earlier stage's, pipeline or teacher changed since): delete " + dir + ", the later stages' folders and "
            + "the controls of those stages (" + out.resolve("controls") + ") to redo them with this config, or "
            + "write to another --output");
      }
      return result;
    }
    Files.createDirectories(dir);
    long started = System.nanoTime();
    ObjectNode inputs = JsonLines.MAPPER.createObjectNode();
    ObjectNode metrics;
    try {
      metrics = body.run(dir, inputs);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IllegalStateException(what + " (" + dir + "): " + e.getMessage(), e);
    }
    StageResult result = StageResult.of(stage, sha, inputs, metrics, (System.nanoTime() - started) / 6e10);
    result.write(manifest);
    return result;
  }

  private Path controlDir(Control control) {
    return out.resolve("controls").resolve(control.dirName());
  }

  /**
   * A control: the stage it controls trained again from its own section with one thing changed (see
   * {@link Control}).
   */
  private ObjectNode control(Control control, Path dir, ObjectNode inputs) throws Exception {
    Stage stage = control.controls();
    Path groups = dir.resolve("groups.jsonl");
    Optional<Path> init = switch (control) {
      case MD1_OTHER_INIT, MD2_OTHER_INIT -> config.settings().stageInit() == RocketQaConfig.StageInit.BASE
          ? previousModel(stage) : Optional.empty();
      case MD1_UNDENOISED, MD2_UNAUGMENTED -> init(stage);
    };
    TrainConfig c = config.writeTrainConfig(stage, groups, stageConfig(dir), init);
    switch (control) {
      case MD1_UNDENOISED -> {
        new NegativeMiner(md1Mining(c, "md0")).mine(dataset, split, md1Window(readMd0TrainRun()), groups, progress);
        // a query MD1 leaves out for want of negatives (denoising dropped them) is left out here too: same queries,
        // same steps; only the negatives of the others differ
        TrainGroupFormat.write(groups, sameQueriesAs(TrainGroupFormat.read(groups), stageGroups(Stage.MD1),
            c.data().negativesPerQuery()));
      }
      case MD2_UNAUGMENTED -> {
        List<TrainGroup> labeled = TrainGroupFormat.read(stageGroups(Stage.MD1));
        int stageTrained = trainedGroups(c, dir, stageGroups(Stage.MD2)).size();
        Path labeledFile = dir.resolve("labeled-groups.jsonl");
        TrainGroupFormat.write(labeledFile, labeled);
        List<TrainGroup> trainable = trainedGroups(c, dir, labeledFile);
        TrainGroupFormat.write(groups, Augmenter.padded(labeled, trainable, stageTrained - trainable.size(),
            config.settings().seed()));
        inputs.put("padding_groups", stageTrained - trainable.size());
      }
      case MD1_OTHER_INIT, MD2_OTHER_INIT -> {
        TrainGroupFormat.write(groups, TrainGroupFormat.read(stageGroups(stage)));
        inputs.put("init", init.map(Path::toString).orElse("the section's model.name"));
      }
    }
    if (control != Control.MD2_UNAUGMENTED) {
      int stageTrained = trainedGroups(c, dir, stageGroups(stage)).size();
      int controlTrained = trainedGroups(c, dir, groups).size();
      if (stageTrained != controlTrained) {   // a bug, not bad input: the control would differ in its steps
        throw new IllegalStateException("control " + control.dirName() + " would train on " + controlTrained
            + " groups, its stage on " + stageTrained);
      }
    }
    inputs.put("control", control.dirName()).put("groups", groups.toString());
    distillationScores(c, dir, groups, inputs);
    return trainDualEncoder(control.dirName(), dir, c);
  }

  private ObjectNode md0(Path dir, ObjectNode inputs) throws Exception {
    Path groups = dir.resolve("groups.jsonl");
    MiningReport mined = new NegativeMiner(new MiningConfig("none", 1, 1, 0, config.settings().md0RandomNegatives(),
        config.settings().seed(), PositiveRule.QRELS)).mine(dataset, split, Run.builder("none").build(), groups,
        progress);
    inputs.put("groups", groups.toString()).put("groups_written", mined.queriesWritten());
    return trainDualEncoder(Stage.MD0, dir, writeTrainConfig(Stage.MD0, dir, groups));
  }

  private ObjectNode mc(Path dir, ObjectNode inputs) throws Exception {
    Path trainRun = writeMd0TrainRun(dir);
    Path groups = dir.resolve("groups.jsonl");
    RerankerConfig probe = config.writeRerankerConfig(groups, trainRun, stageConfig(dir));
    new NegativeMiner(new MiningConfig("md0", 1, config.settings().depth(), probe.data().negativesPerQuery(), 0,
        config.settings().seed(), PositiveRule.QRELS)).mine(dataset, split, TrecFormat.readAnyRun(trainRun), groups,
        progress);
    inputs.put("candidates", trainRun.toString()).put("groups", groups.toString());
    new CrossEncoderTrainer(probe, job(dir)).train();
    return rerankMd0Test(dir).put("judge", "cross-encoder");
  }

  /** MC as a fusion teacher: fitted on the dev queries carved from the training split; MD0's model is a member. */
  private ObjectNode fitTeacher(Path dir, TeacherConfig teacher, ObjectNode inputs) throws Exception {
    Path trainRun = writeMd0TrainRun(dir);
    TeacherConfig resolved = teacher.withMembers(m -> m.equals(RocketQaConfig.MD0_MEMBER)
        ? model(Stage.MD0).toAbsolutePath().toString() : m);
    FittedTeacher fitted = TeacherFit.fit(resolved, dataset, split, cacheRoot, progress);
    fitted.save(dir);
    inputs.put("candidates", trainRun.toString()).set("teacher", fitted.toJson());
    return rerankMd0Test(dir).put("judge", "teacher");
  }

  /** MD0's top {@code depth} for the training queries, which MC trains or fits on and MD1 denoises. */
  private Path writeMd0TrainRun(Path dir) {
    Path trainRun = dir.resolve("md0-train.trec");
    TrecFormat.writeRun(trainRun, retrieve(model(Stage.MD0), dataset.queries(split), config.settings().depth(), "md0"));
    return trainRun;
  }

  /** MC's own score: MD0's test run with its top {@code depth} reranked by MC. */
  private ObjectNode rerankMd0Test(Path dir) {
    Run md0Test = TrecFormat.readAnyRun(out.resolve(Stage.MD0.dirName()).resolve("test.trec"));
    Run reranked;
    try (Judges.Opened mc = judge()) {
      reranked = new Reranker(mc.judge()).rerank(dataset, testSplit, md0Test, config.settings().depth(), "mc",
          progress);
    }
    TrecFormat.writeRun(dir.resolve("test.trec"), reranked);
    return evaluate(reranked).put("reranks", "md0 top " + config.settings().depth());
  }

  /** MC, whichever it is: the fitted teacher in {@code OUT/mc} or the cross-encoder in {@code OUT/mc/model}. */
  private Judges.Opened judge() {
    Path mc = out.resolve(Stage.MC.dirName());
    return Judges.open(config.teacher().isPresent() ? mc : model(Stage.MC), 64, InferenceEngine.DEFAULT, dataset,
        cacheRoot, progress);
  }

  private ObjectNode md1(Path dir, ObjectNode inputs) throws Exception {
    Run md0Train = readMd0TrainRun();
    Denoiser.Result denoised;
    try (Judges.Opened mc = judge()) {
      denoised = new Denoiser(mc.judge()).denoise(dataset, split, md0Train, config.settings().depth(),
          config.settings().thresholds(), "md0-denoised", progress);
    }
    Path denoisedRun = dir.resolve("denoised-train.trec");
    TrecFormat.writeRun(denoisedRun, denoised.denoised());
    AtomicOutput.writeString(dir.resolve("denoise.json"), denoised.report().toJson().toPrettyString() + "\n");
    Path groups = dir.resolve("groups.jsonl");
    TrainConfig md1 = writeTrainConfig(Stage.MD1, dir, groups);
    // the window is on MD0's ranks, and denoising only removes from it: the undenoised control samples the same
    // window with nothing removed (a window on the denoised run's ranks would reach past MD0's rank to)
    Run candidates = denoised.denoised().keepingDocsOf(md1Window(md0Train));
    new NegativeMiner(md1Mining(md1, "md0-denoised")).mine(dataset, split, candidates, groups, progress);
    inputs.put("denoised_run", denoisedRun.toString()).put("groups", groups.toString());
    distillationScores(md1, dir, groups, inputs);
    return trainDualEncoder(Stage.MD1, dir, md1);
  }

  private ObjectNode md2(Path dir, ObjectNode inputs) throws Exception {
    RocketQaConfig.Settings settings = config.settings();
    List<Query> pseudo = settings.unlabeledQueries().isPresent()
        ? UnlabeledQueries.read(settings.unlabeledQueries().get(), settings.pseudoQueries(), settings.seed())
        : PseudoQueries.fromTitles(dataset, settings.pseudoQueries(), settings.seed());
    Run pseudoRun = retrieve(model(Stage.MD1), pseudo, config.settings().depth(), "md1");
    TrecFormat.writeRun(dir.resolve("pseudo-queries.trec"), pseudoRun);
    Path groups = dir.resolve("groups.jsonl");
    TrainConfig md2 = writeTrainConfig(Stage.MD2, dir, groups);
    Augmenter.Result augmented;
    try (Judges.Opened mc = judge()) {
      augmented = new Augmenter(mc.judge()).augment(pseudo, dataset, pseudoRun, config.settings().depth(),
          config.settings().thresholds(), md2.data().negativesPerQuery(), config.settings().seed(), progress);
      labelQuality(mc.judge(), dir, inputs);
    }
    List<TrainGroup> labeled = TrainGroupFormat.read(out.resolve(Stage.MD1.dirName()).resolve("groups.jsonl"));
    List<TrainGroup> mixed = Augmenter.mix(labeled, augmented.groups(), config.settings().augmentationRatio(),
        config.settings().seed());
    TrainGroupFormat.write(groups, mixed);
    inputs.put("pseudo_queries", pseudo.size()).put("augmented_groups", augmented.groups().size())
        .put("without_confident_positive", augmented.withoutPositive())
        .put("without_confident_negative", augmented.withoutNegative())
        .put("labeled_groups", labeled.size()).put("augmented_groups_used", mixed.size() - labeled.size())
        .put("groups", groups.toString());
    distillationScores(md2, dir, groups, inputs);
    return trainDualEncoder(Stage.MD2, dir, md2);
  }

  private Path stageGroups(Stage stage) {
    return out.resolve(stage.dirName()).resolve("groups.jsonl");
  }

  /**
   * The groups a dual-encoder stage configured by {@code c} trains on from {@code file}, as its trainer (a job in
   * {@code dir}) selects them.
   */
  private List<TrainGroup> trainedGroups(TrainConfig c, Path dir, Path file) {
    return TrainingGroups.load(file, c.data().dev(), c.data().maxTrainQueries(), c.data().negativesPerQuery(),
        job(dir).queryIds()).train();
  }

  /**
   * {@code control}'s groups, with the stage's group in place of a query's where the stage's is short of
   * {@code negatives} (so its trainer leaves that query out in both runs).
   */
  private static List<TrainGroup> sameQueriesAs(List<TrainGroup> control, Path stageFile, int negatives) {
    Map<String, TrainGroup> stage = new java.util.HashMap<>();
    TrainGroupFormat.read(stageFile).forEach(g -> stage.put(g.queryId(), g));
    return control.stream().map(g -> {
      TrainGroup s = stage.get(g.queryId());
      return s != null && s.negatives().size() < negatives ? s : g;
    }).toList();
  }

  /**
   * The queries MC was fitted on: a teacher's dev carve (its weights and calibration), or the cross-encoder's dev
   * queries from its {@code run.json} (its checkpoint choice and calibration).
   */
  private java.util.Set<String> judgeDevIds() {
    if (config.teacher().isPresent()) {
      return new java.util.HashSet<>(TeacherFit.devQueries(config.teacher().get().dev(), dataset, split).stream()
          .map(Query::id).toList());
    }
    return trainerDevIds(out.resolve(Stage.MC.dirName()));
  }

  /**
   * The dev queries the trainer working in {@code dir} carved for itself, as its {@code run.json} records them: the
   * split's queries that have a training group, carved by the trainers' rule. A carve of all the split's queries
   * differs where some have no group (no judged positive), and would hold training queries.
   */
  private static java.util.Set<String> trainerDevIds(Path dir) {
    java.util.Set<String> ids = new java.util.HashSet<>();
    read(dir.resolve("run.json")).path("dev_queries").forEach(q -> ids.add(q.asText()));
    return ids;
  }

  /** The split's queries among {@code ids}, in the split's order. */
  private List<Query> splitQueries(java.util.Set<String> ids) {
    return dataset.queries(split).stream().filter(q -> ids.contains(q.id())).toList();
  }

  private Run readMd0TrainRun() {
    return TrecFormat.readAnyRun(out.resolve(Stage.MC.dirName()).resolve("md0-train.trec"));
  }

  /** MD0's ranks {@code md1_negatives_from..to}: where MD1 and its undenoised control draw hard negatives from. */
  private Run md1Window(Run md0Train) {
    return md0Train.ranks(config.settings().md1NegativesFrom(), config.settings().md1NegativesTo());
  }

  /**
   * How MD1 (and its undenoised control) samples its hard negatives from a run named {@code source}, already cut to
   * {@link #md1Window}: every listed passage is a candidate.
   */
  private MiningConfig md1Mining(TrainConfig md1, String source) {
    return new MiningConfig(source, 1, config.settings().depth(), md1.data().negativesPerQuery(), 0,
        config.settings().seed(), PositiveRule.QRELS);
  }

  /**
   * How far MC's augmentation labels can be trusted, measured where the truth is known: MC labels MD1's top
   * {@code depth} of MD1's dev queries (as its {@code run.json} records them: what its trainer carved, so no dual
   * encoder trained on their judgments, even where the split has queries without a training group) exactly as it
   * labels the unlabeled queries, and its positive labels (at the positive threshold) and negative labels (below the
   * negative threshold) get precision and recall against the qrels ({@code label-quality.json}; in the
   * report). A fusion teacher's weights and calibration were fitted on these same queries, which the report says.
   */
  private void labelQuality(PairJudge judge, Path dir, ObjectNode inputs) {
    List<Query> devQueries = splitQueries(trainerDevIds(out.resolve(Stage.MD1.dirName())));
    if (devQueries.isEmpty()) {
      return;
    }
    int depth = config.settings().depth();
    Run devRun = retrieve(model(Stage.MD1), devQueries, depth, "md1-dev");
    Denoiser.Thresholds t = config.settings().thresholds();
    LabelQuality.Report report = LabelQuality.measure(judge, Candidates.of(dataset, split, devRun, depth),
        dataset.qrels(split), List.of(t.negativeBelow(), t.positiveAbove()), progress);
    ObjectNode json = report.toJson();
    java.util.Set<String> judgeDev = judgeDevIds();
    long overlap = devQueries.stream().filter(q -> judgeDev.contains(q.id())).count();
    json.put("judge_dev_overlap", overlap);
    json.put("depth", depth).put("negative_below", t.negativeBelow()).put("positive_above", t.positiveAbove());
    AtomicOutput.writeString(dir.resolve("label-quality.json"), json.toPrettyString() + "\n");
    inputs.set("label_quality", json);
  }

  /**
   * For a stage that distills: MC scores every passage of its groups (cached in {@code teacher-scores.jsonl}, so a
   * resumed stage does not score again) and the groups file is rewritten with those scores.
   */
  private void distillationScores(TrainConfig stage, Path dir, Path groups, ObjectNode inputs) {
    if (!stage.distillationOrOff().enabled()) {
      return;
    }
    Path cache = dir.resolve("teacher-scores.jsonl");
    try (Judges.Opened mc = judge()) {
      List<TrainGroup> unscored = TrainGroupFormat.read(groups);
      TrainGroupFormat.write(groups, GroupScoring.score(mc.judge(), mc.fingerprint(), unscored, cache, progress));
    }
    inputs.put("teacher_scores", cache.toString());
  }

  /** Writes a dual-encoder stage's config, its generated groups and start model filled in, and loads it. */
  private TrainConfig writeTrainConfig(Stage stage, Path dir, Path groups) {
    return config.writeTrainConfig(stage, groups, stageConfig(dir), init(stage));
  }

  /** Trains a dual-encoder stage on its written config, then retrieves and evaluates the test split. */
  private ObjectNode trainDualEncoder(Stage stage, Path dir, TrainConfig c) throws Exception {
    return trainDualEncoder(stage.dirName(), dir, c);
  }

  /** The same for a stage or a control named {@code tag}, whose model is {@code dir/model}. */
  private ObjectNode trainDualEncoder(String tag, Path dir, TrainConfig c) throws Exception {
    new DprTrainer(c, job(dir)).train();
    Path model = dir.resolve("model");
    Run test = retrieve(model, dataset.queries(testSplit), 1000, tag);
    TrecFormat.writeRun(dir.resolve("test.trec"), test);
    ObjectNode metrics = evaluate(test);
    // the trainer's dev queries (held out of training) over the corpus vectors the test retrieval just cached:
    // nearly free, and what settings are chosen on
    java.util.Set<String> devIds = trainerDevIds(dir);
    if (!devIds.isEmpty()) {
      Run dev = retrieve(model, splitQueries(devIds), 1000, tag + "-dev");
      TrecFormat.writeRun(dir.resolve("dev.trec"), dev);
      metrics.set("dev", SplitEvaluation.evaluate(dataset, split, devIds, dev).meansJson());
    }
    return metrics;
  }

  /** The model a dual-encoder stage starts from when not its section's model.name (RocketQaConfig.StageInit). */
  private Optional<Path> init(Stage stage) {
    if (config.settings().stageInit() == RocketQaConfig.StageInit.BASE) {
      return Optional.empty();
    }
    return previousModel(stage);
  }

  /** The model of the dual-encoder stage before {@code stage} (MD0's for MD1, MD1's for MD2). */
  private Optional<Path> previousModel(Stage stage) {
    return switch (stage) {
      case MD1 -> Optional.of(model(Stage.MD0));
      case MD2 -> Optional.of(model(Stage.MD1));
      case MD0, MC -> Optional.empty();
    };
  }

  /** A stage's trainer works in the stage's folder, with the config file the pipeline wrote there. */
  private TrainingJob job(Path dir) {
    return new TrainingJob(stageConfig(dir), dataset, split, dir, cacheRoot, progress);
  }

  /** The complete config of a stage, which the pipeline writes into the stage's folder. */
  private static Path stageConfig(Path dir) {
    return dir.resolve("config.yaml");
  }

  private Run retrieve(Path model, List<Query> queries, int k, String tag) {
    return DenseRetriever.retrieve(dataset, queries, DenseConfig.exact(model, k, cacheRoot), tag, progress).run();
  }

  private ObjectNode evaluate(Run run) {
    return SplitEvaluation.evaluate(dataset, testSplit, run).meansJson();
  }

  private Path model(Stage stage) {
    return out.resolve(stage.dirName()).resolve("model");
  }

  private static JsonNode read(Path file) {
    try {
      return JsonLines.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
