package dev.quarry.reader;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.JsonLines;
import dev.quarry.loss.ReaderLoss;
import dev.quarry.mine.DevSplit;
import dev.quarry.model.InferenceEngine;
import dev.quarry.model.ModelDirectory;
import dev.quarry.model.TextEncoder;
import dev.quarry.model.Torch;
import dev.quarry.random.RandomPurpose;
import dev.quarry.random.SplitMix64;
import dev.quarry.random.TrainingSeeds;
import dev.quarry.rerank.Candidates;
import dev.quarry.train.DevHistory;
import dev.quarry.train.TrainingConfig;
import dev.quarry.train.TrainingJob;
import dev.quarry.train.TrainingLoop;
import dev.quarry.util.Progress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Trains a {@link Reader} as DPR does: each step reads {@code batch_size} training questions, each as its positive
 * passage and {@code m} negatives drawn (seeded per step) from its retrieved passages without an answer
 * ({@link ReaderExamples}), under {@link ReaderLoss} (passage selection plus the marginal likelihood of the answer
 * spans). The dev questions (carved from the training questions as in DPR training) are answered from the run's top
 * {@code inference.passages} after each epoch; their exact match picks the epoch saved to {@code OUT/model}. Runs in
 * the shared {@link TrainingLoop}, so it checkpoints and resumes like every trainer.
 */
public final class ReaderTrainer {
  private final ReaderConfig config;
  private final TrainingJob job;
  private final Run run;

  /** @param run the retriever's run of the training split: positives, negatives and the dev passages come from it */
  public ReaderTrainer(ReaderConfig config, TrainingJob job, Run run) {
    this.config = config;
    this.job = job;
    this.run = run;
  }

  /** What a finished run reports. */
  public record Summary(long steps, int bestEpoch, Map<Integer, Double> devExactMatch, int trainQuestions,
      int withoutPositive, int shortOfNegatives, java.nio.file.Path model, double minutes) {
  }

  public Summary train() throws Exception {
    long started = System.nanoTime();
    TrainingConfig t = config.training().loop();
    Map<String, List<String>> answers = job.dataset().answers(job.split()).orElseThrow(() ->
        new IllegalArgumentException("dataset " + job.dataset().root() + " has no answers for split " + job.split()
            + "; a reader trains on question-answering data (SQuAD or DPR layout)"));
    Set<String> ranked = run.queryIds();
    List<Query> questions = run.rankedOf(job.dataset().queries(job.split()));
    if (questions.isEmpty()) {
      throw new IllegalArgumentException("the run ranks no question of split " + job.split() + " of "
          + job.dataset().root());
    }
    DevSplit dev = DevSplit.carveQueries(questions, config.data().dev().queries(), config.data().dev().seed());
    List<String> trainIds = dev.train();
    if (config.data().maxQuestions() > 0 && config.data().maxQuestions() < trainIds.size()) {
      trainIds = DevSplit.carve(trainIds, config.data().maxQuestions(), config.data().dev().seed() + 1).dev();
    }
    int depth = Math.max(config.data().candidates(), config.inference().passages());
    Candidates candidates = Candidates.of(questions, "split " + job.split() + " of " + job.dataset().root(),
        job.dataset(), run, depth);
    List<Query> devQuestions = DevSplit.select(questions, dev.dev());
    AnswerDecoding decoding = config.inference().decoding();
    Files.createDirectories(job.out());
    TrainingSeeds seeds = new TrainingSeeds(t.seed());
    int m = config.data().negatives();
    try (NDManager root = NDManager.newBaseManager();
        Reader reader = Reader.fromEncoder(ModelDirectory.tower(ModelDirectory.resolve(config.model().name(),
            job.cacheRoot()), TextEncoder.Side.PASSAGE), config.model().maxLength(), t.seed())) {
      ReaderExamples data = ReaderExamples.build(DevSplit.select(questions, trainIds), candidates.limitedTo(config.data().candidates()),
          answers, job.dataset().qrels(job.split()), reader.tokenizer(), m);
      writeRunInfo(data, dev);
      List<ReaderExamples.Example> examples = data.examples();
      reader.weights().setTrainable(true);
      TrainingLoop.Result result = TrainingLoop.run(reader.weights(), new TrainingLoop.Model() {
        @Override
        public float lossAndGradients(NDManager scope, int[] order, int position, long step) {
          SplitMix64 random = seeds.generator(RandomPurpose.NEGATIVES, step);
          List<ReaderSequence> sequences = new ArrayList<>();
          int g = t.batchSize();
          int[] passageStart = new int[g];
          int[] passageEnd = new int[g];
          int[][] spanStarts = new int[g][];
          int[][] spanEnds = new int[g][];
          for (int i = 0; i < g; i++) {
            ReaderExamples.Example e = examples.get(order[position + i]);
            sequences.add(e.positive());
            passageStart[i] = e.positive().passageStart();
            passageEnd[i] = e.positive().passageEnd();
            spanStarts[i] = e.spanStarts();
            spanEnds[i] = e.spanEnds();
            for (Passage p : sample(e.negatives(), m, random)) {
              sequences.add(reader.tokenizer().sequence(e.query().text(), p));
            }
          }
          ReaderLoss.Targets targets = new ReaderLoss.Targets(passageStart, passageEnd, spanStarts, spanEnds);
          try (NDManager batch = scope.newSubManager(); GradientCollector gc =
              Engine.getInstance().newGradientCollector()) {
            Torch.seedEngine(seeds.dropoutSeed(step));
            NDList logits = reader.logits(batch, sequences, true);
            NDArray loss = ReaderLoss.loss(logits.get(0), logits.get(1), logits.get(2), targets);
            gc.backward(loss);
            return loss.getFloat();
          }
        }

        @Override
        public double evaluate() {
          reader.runOn(InferenceEngine.DEFAULT);   // the weights of this moment, on the inference engine
          try {
            return QuestionAnswering.score(QuestionAnswering.answer(reader, devQuestions, candidates, decoding,
                Progress.NONE), answers).exactMatch();
          } finally {
            reader.runOn(InferenceEngine.LIBTORCH);
          }
        }

        @Override
        public void export() {
          reader.save(job.out().resolve("model"));
        }
      }, t, examples.size(), "dev_exact_match", config.sha256(), job.out(), job.progress(), root);
      DevHistory history = result.dev();
      return new Summary(result.steps(), history.bestEpoch(), history.values(), examples.size(),
          data.withoutPositive(), data.shortOfNegatives(), job.out().resolve("model"),
          (System.nanoTime() - started) / 6e10);
    }
  }

  /** {@code m} of the negatives, drawn without replacement in a seeded order. */
  static List<Passage> sample(List<Passage> negatives, int m, SplitMix64 random) {
    List<Passage> pool = new ArrayList<>(negatives);
    List<Passage> out = new ArrayList<>(m);
    for (int i = 0; i < m; i++) {
      out.add(pool.remove(random.nextInt(pool.size())));
    }
    return out;
  }

  private void writeRunInfo(ReaderExamples data, DevSplit dev) {
    ObjectNode o = JsonLines.MAPPER.createObjectNode();
    o.put("config", job.configFile().toAbsolutePath().toString());
    o.put("config_sha256", config.sha256());
    o.put("dataset", job.dataset().root().toAbsolutePath().toString());
    o.put("split", job.split());
    o.put("train_questions", data.examples().size());
    o.put("questions_left_out_without_positive", data.withoutPositive());
    o.put("questions_left_out_short_of_negatives", data.shortOfNegatives());
    o.put("dev_question_count", dev.dev().size());
    dev.dev().forEach(o.putArray("dev_questions")::add);
    AtomicOutput.writeString(job.out().resolve("run.json"), o.toPrettyString() + "\n");
  }
}
