package dev.quarry.dpr;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.ance.AnceConfig;
import dev.quarry.config.ConfigBinder;
import dev.quarry.config.RunConfig;
import dev.quarry.train.DistillationConfig;
import dev.quarry.train.TrainingConfig;
import java.util.Optional;

/**
 * The settings of a training run, split by concern into the {@code model}, {@code data} and {@code training}
 * sections of its YAML file, plus an optional {@code ance} section (negatives from a refreshed index of the corpus)
 * ({@link TrainConfigLoader} documents every key). {@link #toJson()} writes them back with every default filled in,
 * and {@link #sha256()} hashes that form, so a checkpoint can tell whether it was made under the same settings.
 */
public record TrainConfig(ModelConfig model, DataConfig data, TrainingConfig training, Optional<AnceConfig> ance,
    Optional<DistillationConfig> distillation) implements RunConfig {
  /** A config without distillation. */
  public TrainConfig(ModelConfig model, DataConfig data, TrainingConfig training, Optional<AnceConfig> ance) {
    this(model, data, training, ance, Optional.empty());
  }

  public TrainConfig {
    if (model == null || data == null || training == null) {
      throw new IllegalArgumentException("the sections model, data and training are all required");
    }
    if (ance == null || distillation == null) {
      throw new IllegalArgumentException("ance and distillation must be Optionals, not null");
    }
  }

  /** A DPR config: negatives from the training groups file only. */
  public TrainConfig(ModelConfig model, DataConfig data, TrainingConfig training) {
    this(model, data, training, Optional.empty());
  }

  /** The distillation settings; {@link DistillationConfig#OFF} when the file has none. */
  public DistillationConfig distillationOrOff() {
    return distillation.orElse(DistillationConfig.OFF);
  }

  /** Every setting, defaults included, under the YAML file's keys and in its order; reads back to an equal config. */
  @Override
  public ObjectNode toJson() {
    ObjectNode root = ConfigBinder.toJson(this);
    if (!distillationOrOff().enabled()) {   // a weight of 0 is no distillation: the hash of a config without it
      root.remove("distillation");
    }
    return root;
  }
}
