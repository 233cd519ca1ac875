package dev.quarry.dpr;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.ance.AnceConfig;
import dev.quarry.config.RunConfig;
import dev.quarry.io.JsonLines;
import dev.quarry.train.TrainingConfig;
import java.util.Optional;

/**
 * The settings of a training run, split by concern into the {@code model}, {@code data} and {@code training}
 * sections of its YAML file, plus an optional {@code ance} section (negatives from a refreshed index of the corpus)
 * ({@link TrainConfigLoader} documents every key). {@link #toJson()} writes them back with every default filled in,
 * and {@link #sha256()} hashes that form, so a checkpoint can tell whether it was made under the same settings.
 */
public record TrainConfig(ModelConfig model, DataConfig data, TrainingConfig training, Optional<AnceConfig> ance,
    DistillationConfig distillation) implements RunConfig {
  /** A config without distillation. */
  public TrainConfig(ModelConfig model, DataConfig data, TrainingConfig training, Optional<AnceConfig> ance) {
    this(model, data, training, ance, DistillationConfig.OFF);
  }

  public TrainConfig {
    if (model == null || data == null || training == null) {
      throw new IllegalArgumentException("the sections model, data and training are all required");
    }
    if (ance == null || distillation == null) {
      throw new IllegalArgumentException("ance must be an Optional and distillation a config (OFF), not null");
    }
  }

  /** A DPR config: negatives from the training groups file only. */
  public TrainConfig(ModelConfig model, DataConfig data, TrainingConfig training) {
    this(model, data, training, Optional.empty());
  }

  /** Every setting, defaults included, under the YAML file's keys and in its order; reads back to an equal config. */
  @Override
  public ObjectNode toJson() {
    ObjectNode root = JsonLines.MAPPER.createObjectNode();
    ObjectNode m = root.putObject("model");
    m.put("name", model.name());
    m.put("shared_towers", model.sharedTowers());
    model.queryMaxLength().ifPresent(v -> m.put("query_max_length", v));
    model.passageMaxLength().ifPresent(v -> m.put("passage_max_length", v));
    ObjectNode d = root.putObject("data");
    d.put("train", data.train().toString());
    ObjectNode dev = d.putObject("dev");
    dev.put("queries", data.dev().queries());
    dev.put("seed", data.dev().seed());
    d.put("negatives_per_query", data.negativesPerQuery());
    data.maxTrainQueries().ifPresent(v -> d.put("max_train_queries", v));
    training.writeTo(root.putObject("training"));
    ance.ifPresent(a -> a.writeTo(root.putObject("ance")));
    if (distillation.enabled()) {   // written only when on, so configs without it keep their hash
      root.putObject("distillation").put("weight", distillation.weight())
          .put("teacher_temperature", distillation.teacherTemperature()).put("contrastive", distillation.contrastive());
    }
    return root;
  }
}
