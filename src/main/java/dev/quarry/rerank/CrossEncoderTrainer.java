package dev.quarry.rerank;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.quarry.config.ConfigPaths;
import dev.quarry.data.Passage;
import dev.quarry.data.Qrels;
import dev.quarry.data.Run;
import dev.quarry.data.TrecFormat;
import dev.quarry.eval.EvalConfig;
import dev.quarry.eval.Evaluator;
import dev.quarry.eval.Metric;
import dev.quarry.mine.TrainGroup;
import dev.quarry.loss.GroupDistillationLoss;
import dev.quarry.model.InferenceEngine;
import dev.quarry.model.ModelDirectory;
import dev.quarry.model.TextEncoder;
import dev.quarry.model.Torch;
import dev.quarry.random.RandomPurpose;
import dev.quarry.random.SplitMix64;
import dev.quarry.random.TrainingSeeds;
import dev.quarry.train.DevHistory;
import dev.quarry.train.DistillationConfig;
import dev.quarry.train.TrainingConfig;
import dev.quarry.train.TrainingGroups;
import dev.quarry.train.TrainingJob;
import dev.quarry.train.TrainingLoop;
import dev.quarry.util.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Trains a {@link CrossEncoder} (RocketQA's MC) on training groups mined from a retriever's ranking of the training
 * queries: each group is a query with one of its positives (seeded choice) and its first {@code n} negatives, scored
 * as {@code 1 + n} pairs under a {@link dev.quarry.loss.RerankLoss}. The dev split (carved from the training queries
 * as in DPR training) is scored by reranking the candidate run's top {@code rerank_depth} (nDCG@10); the best epoch
 * is saved to {@code OUT/model}. Runs in the shared {@link TrainingLoop}, so it checkpoints and resumes the same way.
 */
public final class CrossEncoderTrainer {
  private static final Metric NDCG10 = Metric.parse("ndcg@10");

  private final RerankerConfig config;
  private final TrainingJob job;

  public CrossEncoderTrainer(RerankerConfig config, TrainingJob job) {
    this.config = config;
    this.job = job;
  }

  /** What a finished run reports. */
  public record Summary(long steps, int bestEpoch, Map<Integer, Double> devNdcg10, Path model, double minutes) {
  }

  /** Every group's positives and first {@code negatives} negatives need a teacher score to distill. */
  private static void requireTeacherScores(List<TrainGroup> groups, int negatives) {
    for (TrainGroup g : groups) {
      List<Passage> needed = new ArrayList<>(g.positives());
      g.negatives().subList(0, negatives).forEach(n -> needed.add(n.passage()));
      for (Passage p : needed) {
        if (!g.teacherScores().containsKey(p.id())) {
          throw new IllegalArgumentException("distillation needs a teacher_score on every passage of the training "
              + "groups, and query " + g.queryId() + " has none for passage " + p.id() + "; put a teacher's scores on "
              + "the groups with quarry score-groups");
        }
      }
    }
  }

  public Summary train() throws Exception {
    long started = System.nanoTime();
    TrainingConfig t = config.training().loop();
    int negatives = config.data().negativesPerQuery();
    TrainingGroups data = TrainingGroups.load(ConfigPaths.resolve(config.data().train(), job.configFile()), config.data().dev(),
        java.util.OptionalInt.empty(), negatives, job.queryIds());
    List<TrainGroup> groups = data.train();
    Set<String> devIds = data.devIds();
    Run candidates = TrecFormat.readAnyRun(ConfigPaths.resolve(config.data().candidates(), job.configFile()));
    Run devCandidates = candidates.restrictTo(devIds);
    Qrels devQrels = job.dataset().qrels(job.split()).restrictTo(devIds);
    Files.createDirectories(job.out());
    data.writeRunInfo(job, config.sha256(), t.batchSize(), t.epochs());

    DistillationConfig distillation = config.distillationOrOff();
    if (distillation.enabled()) {
      requireTeacherScores(groups, negatives);   // before any training, naming the first group without them
    }
    GroupDistillationLoss distillationLoss = new GroupDistillationLoss(distillation.teacherTemperature());
    // a dual encoder with separate towers (a DPR model) lends its passage tower
    Path encoderDir = ModelDirectory.tower(ModelDirectory.resolve(config.model().name(), job.cacheRoot()),
        TextEncoder.Side.PASSAGE);
    TrainingSeeds seeds = new TrainingSeeds(t.seed());
    int groupSize = 1 + negatives;
    try (NDManager root = NDManager.newBaseManager();
        CrossEncoder ce = CrossEncoder.fromEncoder(encoderDir, config.model().maxLength(), t.seed())) {
      ce.weights().setTrainable(true);
      TrainingLoop.Result result = TrainingLoop.run(ce.weights(), new TrainingLoop.Model() {
        @Override
        public float lossAndGradients(NDManager scope, int[] order, int position, long step) {
          SplitMix64 random = seeds.generator(RandomPurpose.NEGATIVES, step);
          List<String> queries = new ArrayList<>();
          List<String> passages = new ArrayList<>();
          float[][] teacher = new float[t.batchSize()][];
          for (int i = 0; i < t.batchSize(); i++) {
            TrainGroup g = groups.get(order[position + i]);
            List<Passage> group = new ArrayList<>(groupSize);
            group.add(g.positives().get(random.nextInt(g.positives().size())));
            for (int j = 0; j < negatives; j++) {
              group.add(g.negatives().get(j).passage());
            }
            teacher[i] = new float[groupSize];
            for (int j = 0; j < groupSize; j++) {
              queries.add(g.query());
              passages.add(group.get(j).titleAndText());
              teacher[i][j] = g.teacherScores().getOrDefault(group.get(j).id(), Double.NaN).floatValue();
            }
          }
          CrossEncoder.Pairs pairs = ce.tokenize(queries, passages);
          try (NDManager m = scope.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            Torch.seedEngine(seeds.dropoutSeed(step));
            NDArray logits = ce.logits(m, pairs, true);
            NDArray loss = distillation.contrastive() ? config.training().loss().loss(logits, groupSize)
                : Torch.scalar(logits, 0f);
            if (distillation.enabled()) {
              loss = loss.add(distillationLoss.loss(logits, teacher).mul(Torch.scalar(logits,
                  (float) distillation.weight())));
            }
            gc.backward(loss);
            return loss.getFloat();
          }
        }

        /** The calibration fitted on the last dev pass, for the weights that pass scored. */
        private Calibration calibration = Calibration.IDENTITY;

        @Override
        public double evaluate() {
          Run reranked;
          ce.runOn(InferenceEngine.DEFAULT);   // the weights of this moment, on the inference engine
          try {
            reranked = new Reranker(ce, 64).rerank(job.dataset(), job.split(), devCandidates, config.data().rerankDepth(),
                "dev", Progress.NONE);
          } finally {
            ce.runOn(InferenceEngine.LIBTORCH);
          }
          calibration = Calibration.fitOnRerankedRun(devCandidates, reranked, devQrels, config.data().rerankDepth());
          return new Evaluator(EvalConfig.DEFAULT).evaluate(devQrels, reranked, List.of(NDCG10)).mean(NDCG10);
        }

        @Override
        public void export() {
          ce.calibrate(calibration);
          ce.save(job.out().resolve("model"));
        }
      }, t, groups.size(), "dev_ndcg@10", config.sha256(), job.out(), job.progress(), root);
      DevHistory dev = result.dev();
      return new Summary(result.steps(), dev.bestEpoch(), dev.values(), job.out().resolve("model"),
          (System.nanoTime() - started) / 6e10);
    }
  }
}
