package dev.quarry.condenser;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.data.Passage;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.JsonLines;
import dev.quarry.loss.InfoNceLoss;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.ModelDirectory;
import dev.quarry.random.RandomPurpose;
import dev.quarry.random.TrainingSeeds;
import dev.quarry.train.AdamW;
import dev.quarry.train.TrainingConfig;
import dev.quarry.train.TrainingJob;
import dev.quarry.train.TrainingLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * coCondenser pre-training on a dataset's corpus ({@link CondenserModel}, {@link CondenserStep}): each step samples
 * {@code batch_size} documents in a seeded per-epoch order, two masked spans of each, and minimizes the MLM and span
 * contrastive losses, in the same loop as every trainer ({@link TrainingLoop}: AdamW, warmup and decay, clipping,
 * checkpoints, resumption after kill -9). Spans and masks derive from (seed, step), so a resumed run repeats the
 * uninterrupted one. The last step's backbone is exported to {@code OUT/model}; the head is dropped.
 */
public final class CondenserTrainer {
  private final PretrainConfig config;
  private final TrainingJob job;

  public CondenserTrainer(PretrainConfig config, TrainingJob job) {
    this.config = config;
    this.job = job;
  }

  /** What a finished run reports. */
  public record Summary(long steps, int documents, int skippedDocuments, Path model, double minutes) {
  }

  public Summary train() throws Exception {
    long started = System.nanoTime();
    TrainingConfig t = config.training();
    Path modelDir = ModelDirectory.resolve(config.model().name(), job.cacheRoot());
    if (ModelDirectory.isDualEncoder(modelDir)) {
      throw new IllegalArgumentException(modelDir + " is a dual encoder; pre-training takes one encoder");
    }
    EncoderRecipe recipe = ModelDirectory.recipe(modelDir);
    Path tokenizer = modelDir.resolve(ModelDirectory.TOKENIZER);
    List<Passage> corpus = new ArrayList<>();
    job.dataset().forEachPassage(corpus::add);
    SpanSampler sampler = new SpanSampler(corpus, config.condenser().documents().resolve(job.dataset().format()),
        tokenizer, SpecialTokens.read(tokenizer), config.condenser());
    Files.createDirectories(job.out());
    writeRunInfo(sampler);
    TrainingSeeds seeds = new TrainingSeeds(t.seed());
    try (NDManager root = NDManager.newBaseManager();
        CondenserModel model = CondenserModel.load(modelDir, recipe, config.condenser(), t.seed())) {
      model.setTrainable(true);
      CondenserStep step = new CondenserStep(model, config.condenser(), new InfoNceLoss((float) t.temperature()));
      CondenserStep.Losses[] last = new CondenserStep.Losses[1];
      HeadScales scales = new HeadScales(model, config.condenser(), t.learningRate());
      TrainingLoop.Result result = TrainingLoop.run(model, new TrainingLoop.Model() {
        @Override
        public float lossAndGradients(NDManager scope, int[] order, int position, long globalStep) {
          int[] docs = java.util.Arrays.copyOfRange(order, position, position + t.batchSize());
          MaskedSpans spans = sampler.sample(docs, seeds.generator(RandomPurpose.SPANS, globalStep));
          last[0] = t.gradientCache().enabled()
              ? step.cached(scope, spans, t.gradientCache().chunkSize(), true, seeds.dropoutSeed(globalStep))
              : step.plain(scope, spans, spans.inputIds().size(), true, seeds.dropoutSeed(globalStep));
          return last[0].total();
        }

        @Override
        public double evaluate() {
          throw new IllegalStateException("pre-training has no dev evaluation");
        }

        @Override
        public void export() {
          model.export(recipe, tokenizer, job.out().resolve("model"));
        }

        @Override
        public Map<String, Double> learningRateScales(long globalStep) {
          return scales.of(globalStep);
        }

        @Override
        public Map<String, Double> stepMetrics() {
          Map<String, Double> m = new LinkedHashMap<>();
          m.put("loss_mlm_backbone", (double) last[0].mlmBackbone());
          m.put("loss_mlm_head", (double) last[0].mlmHead());
          m.put("loss_contrastive", (double) last[0].contrastive());
          return m;
        }
      }, t, sampler.size(), "none", config.sha256(), job.out(), job.progress(), root);
      return new Summary(result.steps(), sampler.size(), sampler.skipped(), job.out().resolve("model"),
          (System.nanoTime() - started) / 6e10);
    }
  }

  /** The learning-rate factors of a step: the head's rate, and the backbone held during the head warm-up. */
  private static final class HeadScales {
    private final Map<String, Double> warmup = new LinkedHashMap<>();
    private final Map<String, Double> after = new LinkedHashMap<>();
    private final CondenserConfig config;

    HeadScales(CondenserModel model, CondenserConfig config, double learningRate) {
      this.config = config;
      double head = config.headLearningRateScale(learningRate);
      Set<String> backbone = model.backbone().parameters().keySet();
      model.parameters().keySet().forEach(name -> {
        boolean inBackbone = backbone.contains(name);
        warmup.put(name, inBackbone ? 0.0 : head);
        if (!inBackbone && head != 1) {
          after.put(name, head);
        }
      });
    }

    Map<String, Double> of(long step) {
      return config.holdsBackbone(step) ? warmup : after;
    }
  }

  private void writeRunInfo(SpanSampler sampler) {
    ObjectNode o = JsonLines.MAPPER.createObjectNode();
    o.put("config", job.configFile().toAbsolutePath().toString());
    o.put("config_sha256", config.sha256());
    o.put("dataset", job.dataset().root().toAbsolutePath().toString());
    o.put("document_unit", sampler.unit().name().toLowerCase(java.util.Locale.ROOT));
    o.put("documents", sampler.size());
    o.put("documents_too_short", sampler.skipped());   // passages under min_tokens, left out
    o.put("steps_per_epoch", sampler.size() / config.training().batchSize());
    o.put("total_steps", (long) sampler.size() / config.training().batchSize() * config.training().epochs());
    AtomicOutput.writeString(job.out().resolve("run.json"), o.toPrettyString() + "\n");
  }
}
