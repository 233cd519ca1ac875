package dev.quarry.dpr;

import ai.djl.ndarray.NDManager;
import dev.quarry.config.ConfigPaths;
import dev.quarry.data.PassageStore;
import dev.quarry.data.Qrels;
import dev.quarry.data.Query;
import dev.quarry.dense.CorpusVectors;
import dev.quarry.dense.DenseEvaluation;
import dev.quarry.eval.Metric;
import dev.quarry.loss.InfoNceLoss;
import dev.quarry.mine.DevSplit;
import dev.quarry.mine.TrainGroup;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.InferenceEngine;
import dev.quarry.model.ModelDirectory;
import dev.quarry.model.TextEncoder;
import dev.quarry.random.RandomPurpose;
import dev.quarry.random.TrainingSeeds;
import dev.quarry.train.AdamW;
import dev.quarry.train.DevHistory;
import dev.quarry.train.TrainingConfig;
import dev.quarry.train.TrainingGroups;
import dev.quarry.train.TrainingJob;
import dev.quarry.train.TrainingLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
 *
 * <p>With an {@code ance} section, each query also gets negatives from an index of the whole corpus that a
 * background thread rebuilds with the latest weights ({@link AnceNegativeSource}, {@link dev.quarry.ance.AnceNegatives}).
 */
public final class DprTrainer {
  private static final Metric NDCG10 = Metric.parse("ndcg@10");

  private final TrainConfig config;
  private final TrainingJob job;

  public DprTrainer(TrainConfig config, TrainingJob job) {
    this.config = config;
    this.job = job;
  }

  /** What a finished run reports. */
  public record Summary(long steps, int bestEpoch, double bestDevNdcg10, Map<Integer, Double> devNdcg10,
      Path model, double minutes) {
  }

  public Summary train() throws Exception {
    long started = System.nanoTime();
    TrainingConfig t = config.training();
    Path modelDir = ModelDirectory.resolve(config.model().name(), job.cacheRoot());
    EncoderRecipe base = ModelDirectory.recipe(modelDir);
    EncoderRecipe recipe = new EncoderRecipe(base.pooling(), base.normalize(), base.queryPrefix(), base.passagePrefix(),
        config.model().queryMaxLength().orElse(base.queryMaxLength()),
        config.model().passageMaxLength().orElse(base.passageMaxLength()));

    TrainingGroups data = TrainingGroups.load(ConfigPaths.resolve(config.data().train(), job.configFile()),
        config.data().dev(), config.data().maxTrainQueries(), config.data().negativesPerQuery(),
        job.queryIds());
    List<TrainGroup> groups = data.train();
    if (config.distillationOrOff().enabled()) {
      for (TrainGroup g : groups) {
        if (g.teacherScores().isEmpty()) {
          throw new IllegalArgumentException("the config has a distillation section, but query " + g.queryId()
              + " of " + config.data().train() + " has no teacher_score (the RocketQA pipeline writes them)");
        }
      }
    }
    List<Query> devQueries = DevSplit.select(job.dataset().queries(job.split()), data.devSplit().dev());
    Qrels devQrels = job.dataset().qrels(job.split()).restrictTo(data.devIds());
    Files.createDirectories(job.out());
    data.writeRunInfo(job, config.sha256(), t.batchSize(), t.epochs());
    TrainingSeeds seeds = new TrainingSeeds(t.seed());

    TextEncoder.Towers towers = config.model().sharedTowers() ? TextEncoder.Towers.SHARED
        : TextEncoder.Towers.SEPARATE;
    try (PassageStore corpus = PassageStore.openOrBuild(job.dataset(), job.cacheRoot());
        NDManager root = NDManager.newBaseManager();
        TextEncoder encoder = TextEncoder.load(modelDir, recipe, towers);
        NegativeSource negatives = AnceNegativeSource.open(config, modelDir, recipe, towers, groups, corpus,
            job.out())) {
      List<String> corpusIds = CorpusVectors.ids(corpus);
      TrainableTowers model = new TrainableTowers(encoder);
      ContrastiveStep step = new ContrastiveStep(model.query(), model.passage(), recipe,
          new InfoNceLoss((float) t.temperature()), config.distillationOrOff());
      TrainingLoop.Result result = TrainingLoop.run(model, new TrainingLoop.Model() {
        @Override
        public float lossAndGradients(NDManager scope, int[] order, int position, long globalStep) {
          negatives.beforeStep(globalStep, model);
          ContrastiveStep.Batch batch = batch(encoder, groups, order, position, seeds, globalStep, negatives);
          return t.gradientCache().enabled()
              ? step.cached(scope, batch, t.gradientCache().chunkSize(), true, seeds.dropoutSeed(globalStep))
              : step.plain(scope, batch, true, seeds.dropoutSeed(globalStep));
        }

        @Override
        public double evaluate() {
          encoder.runOn(InferenceEngine.DEFAULT);   // the weights of this moment, on the inference engine
          try {
            return DenseEvaluation.evaluate(encoder, corpus, corpusIds, job.out().resolve("dev-vectors.scratch"),
                devQueries, devQrels, List.of(NDCG10), 64, 100).mean(NDCG10);
          } finally {
            encoder.runOn(InferenceEngine.LIBTORCH);
          }
        }

        @Override
        public void export() {
          model.export(withLengths(base, recipe), ModelDirectory.tower(modelDir, TextEncoder.Side.PASSAGE)
              .resolve(ModelDirectory.TOKENIZER), job.out().resolve("model"));
        }

        @Override
        public Map<String, Double> stepMetrics() {
          return negatives.stepMetrics();
        }
      }, t, groups.size(), "dev_ndcg@10", config.sha256(), job.out(), job.progress(), root);
      negatives.close();
      negatives.finish(t.batchSize());
      DevHistory dev = result.dev();
      int bestEpoch = dev.bestEpoch();
      return new Summary(result.steps(), bestEpoch, dev.values().getOrDefault(bestEpoch, Double.NaN), dev.values(),
          job.out().resolve("model"), (System.nanoTime() - started) / 6e10);
    }
  }

  /** The exported recipe: the model's own (evaluation) lengths, not the training-time ones. */
  private static EncoderRecipe withLengths(EncoderRecipe base, EncoderRecipe training) {
    return new EncoderRecipe(training.pooling(), training.normalize(), training.queryPrefix(),
        training.passagePrefix(), base.queryMaxLength(), base.passageMaxLength());
  }

  private ContrastiveStep.Batch batch(TextEncoder encoder, List<TrainGroup> groups, int[] order, int position,
      TrainingSeeds seeds, long globalStep, NegativeSource negatives) {
    List<TrainGroup> chosen = new ArrayList<>(config.training().batchSize());
    for (int i = 0; i < config.training().batchSize(); i++) {
      chosen.add(groups.get(order[position + i]));
    }
    int mined = config.data().negativesPerQuery();
    PassagePool pool = PassagePool.of(chosen, mined, negatives.negatives(chosen, mined, seeds, globalStep),
        seeds.generator(RandomPurpose.NEGATIVES, globalStep));
    return new ContrastiveStep.Batch(List.of(encoder.tokenize(TextEncoder.Side.QUERY, pool.queries())),
        List.of(encoder.tokenize(TextEncoder.Side.PASSAGE, pool.passages())), pool.positives(), pool.excluded(),
        config.distillationOrOff().enabled() ? pool.distillation(chosen) : ContrastiveStep.Distillation.NONE,
        (q, p) -> negatives.observe(pool, q, p));
  }
}
