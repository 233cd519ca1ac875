package dev.quarry.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.data.Dataset;
import dev.quarry.data.Passage;
import dev.quarry.data.Qrels;
import dev.quarry.data.Query;
import dev.quarry.dense.DenseEvaluation;
import dev.quarry.eval.EvalReport;
import dev.quarry.eval.Metric;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.JsonLines;
import dev.quarry.loss.InfoNceLoss;
import dev.quarry.mine.DevSplit;
import dev.quarry.mine.TrainGroup;
import dev.quarry.mine.TrainGroupFormat;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.ModelDirectory;
import dev.quarry.model.TextEncoder;
import dev.quarry.util.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * DPR training of a dual encoder (shared or separate towers, see {@link TrainableTowers}) on mined training groups: each step takes {@code batch_size} groups
 * in a seeded per-epoch order, pairs each query with one of its positives and its mined negatives, and minimizes
 * {@link InfoNceLoss} over the whole passage pool (in-batch negatives), plainly or with gradient caching, with
 * AdamW, linear warmup and decay, and gradient clipping. The last incomplete batch of an epoch is dropped.
 *
 * <p>Model selection is on a dev split carved from the training queries ({@link DevSplit}): after each epoch the
 * model is evaluated on it (nDCG@10 over the full corpus) and the best epoch is exported to {@code OUT/model}.
 * Checkpoints every N steps and at each epoch's end make a killed run resumable: data order, positive choice and
 * dropout all derive from (seed, epoch, step), so a resumed run repeats the uninterrupted one.
 */
public final class DprTrainer {
  private static final Metric NDCG10 = Metric.parse("ndcg@10");

  private final TrainConfig config;
  private final Path configFile;
  private final Dataset dataset;
  private final String split;
  private final Path out;
  private final Path cacheRoot;
  private final Progress progress;

  public DprTrainer(TrainConfig config, Path configFile, Dataset dataset, String split, Path out, Path cacheRoot,
      Progress progress) {
    this.config = config;
    this.configFile = configFile;
    this.dataset = dataset;
    this.split = split;
    this.out = out;
    this.cacheRoot = cacheRoot;
    this.progress = progress;
  }

  /** What a finished run reports. */
  public record Summary(long steps, int bestEpoch, double bestDevNdcg10, Map<Integer, Double> devNdcg10,
      Path model, double minutes) {
  }

  public Summary train() throws Exception {
    long started = System.nanoTime();
    TrainingConfig t = config.training();
    Path modelDir = ModelDirectory.resolve(config.model().name(), cacheRoot);
    EncoderRecipe base = ModelDirectory.recipe(modelDir);
    EncoderRecipe recipe = new EncoderRecipe(base.pooling(), base.normalize(), base.queryPrefix(), base.passagePrefix(),
        config.model().queryMaxLength().orElse(base.queryMaxLength()),
        config.model().passageMaxLength().orElse(base.passageMaxLength()));

    List<TrainGroup> all = TrainGroupFormat.read(resolve(config.data().train()));
    DevSplit devSplit = DevSplit.carve(all.stream().map(TrainGroup::queryId).toList(), config.data().dev().queries(),
        config.data().dev().seed());
    List<String> kept = devSplit.train();
    if (config.data().maxTrainQueries().isPresent() && config.data().maxTrainQueries().getAsInt() < kept.size()) {
      kept = DevSplit.carve(kept, config.data().maxTrainQueries().getAsInt(), config.data().dev().seed() + 1).dev();
    }
    Set<String> trainIds = new HashSet<>(kept);
    // a group with fewer mined negatives than a step draws cannot be trained on (on SQuAD, when every top-ranked
    // paragraph contains the answer); it is left out and counted in run.json
    int negatives = config.data().negativesPerQuery();
    List<TrainGroup> selected = all.stream().filter(g -> trainIds.contains(g.queryId())).toList();
    List<TrainGroup> groups = selected.stream().filter(g -> g.negatives().size() >= negatives).toList();
    List<Query> devQueries = DevSplit.select(dataset.queries(split), devSplit.dev());
    Qrels devQrels = dataset.qrels(split).restrictTo(new HashSet<>(devSplit.dev()));
    List<Passage> corpus = new ArrayList<>();
    dataset.forEachPassage(corpus::add);

    int stepsPerEpoch = groups.size() / t.batchSize();
    if (stepsPerEpoch == 0) {
      throw new IllegalArgumentException(configFile + ": training.batch_size " + t.batchSize() + " exceeds the "
          + groups.size() + " training groups");
    }
    int totalSteps = stepsPerEpoch * t.epochs();
    LinearWarmupDecay schedule = new LinearWarmupDecay(t.learningRate(),
        (int) Math.round(t.warmupRatio() * totalSteps), totalSteps);
    TrainingSeeds seeds = new TrainingSeeds(t.seed());
    Path checkpoints = Checkpoint.folder(out);
    Files.createDirectories(out);
    writeRunInfo(devSplit, groups.size(), selected.size() - groups.size(), stepsPerEpoch, totalSteps);

    TextEncoder.Towers towers = config.model().sharedTowers() ? TextEncoder.Towers.SHARED
        : TextEncoder.Towers.SEPARATE;
    try (NDManager root = NDManager.newBaseManager();
        TextEncoder encoder = TextEncoder.load(modelDir, recipe, towers)) {
      TrainableTowers model = new TrainableTowers(encoder);
      ContrastiveStep step = new ContrastiveStep(model.query(), model.passage(), recipe,
          new InfoNceLoss((float) t.temperature()));
      try (AdamW optimizer = new AdamW(model.parameters(), AdamWConfig.withWeightDecay(t.weightDecay()), root)) {
        long globalStep = 0;
        long skipped = 0;
        int startEpoch = 0;
        int startPosition = 0;
        Map<Integer, Double> dev = new LinkedHashMap<>();
        Optional<Path> latest = Checkpoint.latest(checkpoints);
        MetricsLog log;
        if (latest.isPresent()) {
          Checkpoint c = Checkpoint.load(latest.get());
          c.state().requireCompatible(config);
          model.loadWeights(c.model());
          optimizer.loadState(c.optimizer());
          globalStep = c.state().step();
          startEpoch = c.state().epoch();
          startPosition = c.state().positionInEpoch();
          dev.putAll(readDevHistory());
          log = MetricsLog.resume(out, globalStep);
        } else {
          log = MetricsLog.create(out);
        }
        try (log; Progress.Task task = progress.start("train", totalSteps)) {
          task.step(globalStep);
          for (int epoch = startEpoch; epoch < t.epochs(); epoch++) {
            int[] order = seeds.dataOrder(groups.size(), epoch);
            for (int position = epoch == startEpoch ? startPosition : 0; position + t.batchSize() <= order.length
                && position / t.batchSize() < stepsPerEpoch; position += t.batchSize()) {
              long stepStart = System.nanoTime();
              ContrastiveStep.Batch batch = batch(encoder, groups, order, position, seeds, globalStep);
              GradientBuffers.zero(model.parameters());
              float loss = t.gradientCache().enabled()
                  ? step.cached(root, batch, t.gradientCache().chunkSize(), true, seeds.dropoutSeed(globalStep))
                  : step.plain(root, batch, true, seeds.dropoutSeed(globalStep));
              double lr = schedule.learningRate(globalStep);
              double norm;
              try (NDManager scope = root.newSubManager()) {
                Map<String, NDArray> grads = GradientBuffers.of(model.parameters(), scope);
                norm = t.maxGradNorm() > 0 ? GradientClipping.clipByGlobalNorm(grads, t.maxGradNorm())
                    : GradientClipping.globalNorm(grads);
                if (Double.isFinite(norm) && Float.isFinite(loss)) {
                  optimizer.step(grads, lr);
                } else {
                  skipped++;   // a non-finite gradient would turn every weight into NaN: leave them as they are
                }
              }
              globalStep++;
              double seconds = (System.nanoTime() - stepStart) / 1e9;
              log.append(new StepMetrics(globalStep, epoch, loss, lr, norm, t.batchSize() / seconds,
                  Map.of("skipped_steps", (double) skipped)));
              task.step(1);
              int next = position + t.batchSize();
              if (t.checkpointEvery() > 0 && globalStep % t.checkpointEvery() == 0) {
                save(checkpoints, globalStep, epoch, next, seeds, model, optimizer);
              }
            }
            if (t.evalEveryEpoch() || epoch == t.epochs() - 1) {
              float[][] vectors = DenseEvaluation.encodeCorpus(encoder, corpus, 64, Progress.NONE);
              EvalReport r = DenseEvaluation.evaluate(encoder, corpus, vectors, devQueries, devQrels,
                  List.of(NDCG10), 64, 100, Progress.NONE);
              double ndcg = r.mean(NDCG10);
              boolean best = dev.values().stream().allMatch(v -> ndcg > v);
              dev.put(epoch + 1, ndcg);
              log.appendEvaluation(globalStep, epoch, Map.of("dev_ndcg@10", ndcg));
              if (best) {
                model.export(withLengths(base, recipe), ModelDirectory.tower(modelDir, TextEncoder.Side.PASSAGE)
                    .resolve(ModelDirectory.TOKENIZER), out.resolve("model"));
              }
              writeDevHistory(dev);
            }
            save(checkpoints, globalStep, epoch + 1, 0, seeds, model, optimizer);
          }
        }
        TrainingCurves.writePng(out.resolve("metrics.jsonl"), out.resolve("training-curves.png"));
        int bestEpoch = dev.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(0);
        return new Summary(globalStep, bestEpoch, dev.getOrDefault(bestEpoch, Double.NaN), dev, out.resolve("model"),
            (System.nanoTime() - started) / 6e10);
      }
    }
  }

  /** The exported recipe: the model's own (evaluation) lengths, not the training-time ones. */
  private static EncoderRecipe withLengths(EncoderRecipe base, EncoderRecipe training) {
    return new EncoderRecipe(training.pooling(), training.normalize(), training.queryPrefix(),
        training.passagePrefix(), base.queryMaxLength(), base.passageMaxLength());
  }

  private ContrastiveStep.Batch batch(TextEncoder encoder, List<TrainGroup> groups, int[] order, int position,
      TrainingSeeds seeds, long globalStep) {
    List<TrainGroup> chosen = new ArrayList<>(config.training().batchSize());
    for (int i = 0; i < config.training().batchSize(); i++) {
      chosen.add(groups.get(order[position + i]));
    }
    PassagePool pool = PassagePool.of(chosen, config.data().negativesPerQuery(),
        seeds.generator(RandomPurpose.NEGATIVES, globalStep));
    return new ContrastiveStep.Batch(List.of(encoder.tokenize(TextEncoder.Side.QUERY, pool.queries())),
        List.of(encoder.tokenize(TextEncoder.Side.PASSAGE, pool.passages())), pool.positives(), pool.excluded());
  }

  private void save(Path checkpoints, long step, int epoch, int position, TrainingSeeds seeds,
      TrainableTowers model, AdamW optimizer) {
    Checkpoint.save(checkpoints, TrainerState.of(step, epoch, position, seeds, config), model.exportWeights(),
        optimizer.state(), 2);
  }

  private Path resolve(Path p) {
    if (p.isAbsolute() || Files.exists(p)) {
      return p;
    }
    Path beside = configFile.toAbsolutePath().getParent().resolve(p);
    return Files.exists(beside) ? beside : p;
  }

  private void writeRunInfo(DevSplit devSplit, int trainGroups, int shortOfNegatives, int stepsPerEpoch,
      int totalSteps) {
    ObjectNode o = JsonLines.MAPPER.createObjectNode();
    o.put("config", configFile.toAbsolutePath().toString());
    o.put("config_sha256", config.sha256());
    o.put("dataset", dataset.root().toAbsolutePath().toString());
    o.put("split", split);
    o.put("train_groups", trainGroups);
    o.put("groups_left_out_short_of_negatives", shortOfNegatives);
    var devIds = o.putArray("dev_queries");
    devSplit.dev().forEach(devIds::add);
    o.put("steps_per_epoch", stepsPerEpoch);
    o.put("total_steps", totalSteps);
    AtomicOutput.writeString(out.resolve("run.json"), o.toPrettyString() + "\n");
  }

  private Map<Integer, Double> readDevHistory() throws java.io.IOException {
    Map<Integer, Double> dev = new LinkedHashMap<>();
    Path f = out.resolve("dev.json");
    if (Files.exists(f)) {
      JsonLines.MAPPER.readTree(f.toFile()).properties().forEach(e ->
          dev.put(Integer.parseInt(e.getKey().substring("epoch ".length())), e.getValue().asDouble()));
    }
    return dev;
  }

  private void writeDevHistory(Map<Integer, Double> dev) {
    ObjectNode o = JsonLines.MAPPER.createObjectNode();
    dev.forEach((epoch, v) -> o.put("epoch " + epoch, v));
    AtomicOutput.writeString(out.resolve("dev.json"), o.toPrettyString() + "\n");
  }
}
