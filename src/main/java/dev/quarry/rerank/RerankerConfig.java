package dev.quarry.rerank;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.config.ConfigBinder;
import dev.quarry.config.ConfigDefault;
import dev.quarry.config.Overrides;
import dev.quarry.config.RunConfig;
import dev.quarry.loss.RerankLoss;
import dev.quarry.train.DevEvaluation;
import dev.quarry.train.DevSplitConfig;
import dev.quarry.train.DistillationConfig;
import dev.quarry.train.LoopSection;
import dev.quarry.train.TrainingConfig;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A cross-encoder training config, read from YAML with the same strictness as a dual encoder's
 * ({@link ConfigBinder}):
 *
 * <pre>
 * model:
 *   name: all-minilm-l6-v2        # required: the encoder whose backbone the cross-encoder starts from
 *   max_length: 256               # tokens of query + passage; only the passage is cut
 * data:
 *   train: runs/groups.jsonl      # required: training groups mined from a retriever's run of the training queries
 *   candidates: runs/train.trec   # required: that run; the dev queries' top rerank_depth are reranked by it
 *   dev: {queries: 100, seed: 13} # held out from the training queries, as in DPR training
 *   negatives_per_query: 7        # each group: one positive and this many negatives
 *   rerank_depth: 30
 * training:
 *   loss: listwise                # listwise (softmax over the group) or pointwise (sigmoid cross-entropy)
 *   epochs, batch_size (groups per step), learning_rate, warmup_ratio, weight_decay, max_grad_norm, seed,
 *   checkpoint_every, dev_evaluation: as in DPR training
 * distillation:                   # optional: listwise distillation from the groups' teacher_score (quarry
 *   weight: 1.0                   # score-groups puts a teacher's scores on them): KL(teacher || cross-encoder) over
 *   teacher_temperature: 1.0      # each group, times weight, added to training.loss (or alone, contrastive: false)
 *   contrastive: true
 * </pre>
 */
public record RerankerConfig(Model model, Data data, Training training, Optional<DistillationConfig> distillation)
    implements RunConfig {
  /**
   * The {@code model} section.
   *
   * @param name the encoder whose backbone the cross-encoder starts from (a bundled name or a model directory)
   * @param maxLength tokens of query + passage, at least 3; only the passage is cut
   */
  public record Model(String name, @ConfigDefault("256") int maxLength) {
    public Model {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("model.name must name a model");
      }
      if (maxLength < 3) {
        throw new IllegalArgumentException("model.max_length must be at least 3; model.max_length=" + maxLength);
      }
    }
  }

  /**
   * The {@code data} section.
   *
   * @param train training groups mined from a retriever's run of the training queries
   * @param candidates that run; the dev queries' top {@code rerankDepth} are reranked to pick the epoch
   * @param dev the dev queries held out from the training queries
   * @param negativesPerQuery negatives per group (one positive each), at least 1
   * @param rerankDepth the dev candidates reranked per query, at least 1
   */
  public record Data(Path train, Path candidates, DevSplitConfig dev, @ConfigDefault("7") int negativesPerQuery,
      @ConfigDefault("30") int rerankDepth) {
    public Data {
      if (negativesPerQuery < 1) {
        throw new IllegalArgumentException("data.negatives_per_query must be at least 1; data.negatives_per_query="
            + negativesPerQuery);
      }
      if (rerankDepth < 1) {
        throw new IllegalArgumentException("data.rerank_depth must be positive; data.rerank_depth=" + rerankDepth);
      }
    }
  }

  /**
   * The {@code training} section: the loss, and the keys of a dual encoder's {@link TrainingConfig} that a
   * cross-encoder uses (no temperature, no gradient cache).
   */
  public record Training(@ConfigDefault("listwise") RerankLoss loss, int epochs, int batchSize, double learningRate,
      double warmupRatio, @ConfigDefault("0.01") double weightDecay, @ConfigDefault("1.0") double maxGradNorm,
      long seed, int checkpointEvery, @ConfigDefault("every_epoch") DevEvaluation devEvaluation) {
    public Training {
      if (loss == null) {
        throw new IllegalArgumentException("training.loss must be listwise or pointwise");
      }
      new LoopSection(epochs, batchSize, learningRate, warmupRatio, weightDecay, maxGradNorm, seed, checkpointEvery,
          devEvaluation);   // the shared keys are checked where they are defined
    }

    /** The training loop's settings. */
    public TrainingConfig loop() {
      return new LoopSection(epochs, batchSize, learningRate, warmupRatio, weightDecay, maxGradNorm, seed,
          checkpointEvery, devEvaluation).loop();
    }
  }

  public RerankerConfig {
    if (distillation == null) {
      throw new IllegalArgumentException("distillation must be an Optional, not null");
    }
  }

  /** The distillation settings; {@link DistillationConfig#OFF} when the file has none. */
  public DistillationConfig distillationOrOff() {
    return distillation.orElse(DistillationConfig.OFF);
  }

  public static RerankerConfig load(Path file) {
    return load(file, Overrides.NONE);
  }

  /** Reads the YAML file with command-line overrides of its keys. */
  public static RerankerConfig load(Path file, Overrides overrides) {
    return ConfigBinder.read(file, RerankerConfig.class, overrides);
  }

  public static RerankerConfig parse(String yaml, Path file) {
    return parse(yaml, file, Overrides.NONE);
  }

  public static RerankerConfig parse(String yaml, Path file, Overrides overrides) {
    return ConfigBinder.parse(yaml, file, RerankerConfig.class, overrides);
  }

  /** Every value, defaults filled in; {@link #sha256} hashes it so checkpoints know their config. */
  @Override
  public ObjectNode toJson() {
    ObjectNode root = ConfigBinder.toJson(this);
    if (!distillationOrOff().enabled()) {   // a weight of 0 is no distillation: the hash of a config without it
      root.remove("distillation");
    }
    return root;
  }
}
