package dev.quarry.rerank;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.config.ConfigSection;
import dev.quarry.config.Overrides;
import dev.quarry.config.RunConfig;
import dev.quarry.io.DataFormatException;
import dev.quarry.io.JsonLines;
import dev.quarry.loss.RerankLoss;
import dev.quarry.train.DevSplitConfig;
import dev.quarry.train.TrainingConfig;
import dev.quarry.train.TrainingSections;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A cross-encoder training config, read from YAML with the same strictness as {@link TrainConfigLoader}:
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
 * </pre>
 */
public record RerankerConfig(String model, int maxLength, Path train, Path candidates, DevSplitConfig dev,
    int negativesPerQuery, int rerankDepth, RerankLoss loss, TrainingConfig training) implements RunConfig {
  private static final List<String> ROOT = List.of("model", "data", "training");
  private static final List<String> MODEL = List.of("name", "max_length");
  private static final List<String> DATA = List.of("train", "candidates", "dev", "negatives_per_query",
      "rerank_depth");
  private static final List<String> TRAINING = List.of("loss", "epochs", "batch_size", "learning_rate",
      "warmup_ratio", "weight_decay", "max_grad_norm", "seed", "checkpoint_every", "dev_evaluation");

  public RerankerConfig {
    if (maxLength < 3) {
      throw new IllegalArgumentException("model.max_length must be at least 3; model.max_length=" + maxLength);
    }
    if (negativesPerQuery < 1) {
      throw new IllegalArgumentException("data.negatives_per_query must be at least 1; data.negatives_per_query="
          + negativesPerQuery);
    }
    if (rerankDepth < 1) {
      throw new IllegalArgumentException("data.rerank_depth must be positive; data.rerank_depth=" + rerankDepth);
    }
  }

  public static RerankerConfig load(Path file) {
    return load(file, Overrides.NONE);
  }

  /** Reads the YAML file with command-line overrides of its keys. */
  public static RerankerConfig load(Path file, Overrides overrides) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file, overrides);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  public static RerankerConfig parse(String yaml, Path file) {
    return parse(yaml, file, Overrides.NONE);
  }

  public static RerankerConfig parse(String yaml, Path file, Overrides overrides) {
    ConfigSection root = ConfigSection.parseYaml(yaml, file, ROOT, overrides);
    ConfigSection m = root.section("model", MODEL);
    ConfigSection d = root.section("data", DATA);
    ConfigSection t = root.section("training", TRAINING);
    String loss = t.has("loss") ? t.requiredString("loss") : "listwise";
    try {
      RerankLoss kind = switch (loss.toLowerCase(Locale.ROOT)) {
        case "listwise" -> RerankLoss.LISTWISE;
        case "pointwise" -> RerankLoss.POINTWISE;
        default -> throw new IllegalArgumentException("training.loss must be listwise or pointwise; training.loss="
            + loss);
      };
      return new RerankerConfig(m.requiredString("name"), m.optionalInt("max_length", 256),
          Path.of(d.requiredString("train")), Path.of(d.requiredString("candidates")), TrainingSections.devSplit(d),
          d.optionalInt("negatives_per_query", 7), d.optionalInt("rerank_depth", 30), kind,
          TrainingSections.training(t));
    } catch (IllegalArgumentException e) {
      throw new DataFormatException(file, 0, e.getMessage(), e);
    }
  }

  /** Every value, defaults filled in; {@link #sha256} hashes it so checkpoints know their config. */
  @Override
  public ObjectNode toJson() {
    ObjectNode root = JsonLines.MAPPER.createObjectNode();
    root.putObject("model").put("name", model).put("max_length", maxLength);
    ObjectNode d = root.putObject("data");
    d.put("train", train.toString()).put("candidates", candidates.toString());
    d.putObject("dev").put("queries", dev.queries()).put("seed", dev.seed());
    d.put("negatives_per_query", negativesPerQuery).put("rerank_depth", rerankDepth);
    ObjectNode t = root.putObject("training");
    t.put("loss", loss.name().toLowerCase(Locale.ROOT));
    t.put("epochs", training.epochs()).put("batch_size", training.batchSize());
    t.put("learning_rate", training.learningRate()).put("warmup_ratio", training.warmupRatio());
    t.put("weight_decay", training.weightDecay()).put("max_grad_norm", training.maxGradNorm());
    t.put("seed", training.seed()).put("checkpoint_every", training.checkpointEvery());
    t.put("dev_evaluation", training.devEvaluation().configName());
    return root;
  }
}
