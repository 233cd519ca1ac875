package dev.quarry.condenser;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.config.ConfigBinder;
import dev.quarry.config.Overrides;
import dev.quarry.config.RunConfig;
import dev.quarry.train.DevEvaluation;
import dev.quarry.train.TrainingConfig;
import java.nio.file.Path;

/**
 * The settings of a coCondenser pre-training run, from YAML:
 *
 * <pre>
 * model:
 *   name: all-minilm-l6-v2        # required: a bundled model or a (single-tower) model directory
 * condenser:
 *   early_layers: 3               # required: layers before the head taps the token states
 *   head_layers: 2
 *   span_tokens: 64               # required: longest span, in word pieces
 *   min_tokens: 16                # shorter documents are not sampled
 *   mask_probability: 0.15
 *   mlm_weight: 1.0
 *   contrastive_weight: 1.0       # 0: a plain Condenser
 *   head_warmup_steps: 0          # first steps that train only the head and the MLM layer (backbone held)
 *   head_learning_rate: 0         # peak rate of the head and the MLM layer; 0: training.learning_rate
 * training:                       # as in a training config (TrainConfigLoader); batch_size counts documents
 *   ...                           # (two spans each) and temperature is the contrastive loss's; dev_evaluation
 *                                 # must be none (there is no dev metric: the last step is exported)
 * </pre>
 *
 * @param model the model to pre-train
 * @param condenser the architecture and losses
 * @param training the loop's settings
 */
public record PretrainConfig(Model model, CondenserConfig condenser, TrainingConfig training) implements RunConfig {
  /**
   * The {@code model} section.
   *
   * @param name a bundled model name or a (single-tower) model directory
   */
  public record Model(String name) {
    public Model {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("model.name must name a model");
      }
    }
  }

  public PretrainConfig {
    if (training.devEvaluation() != DevEvaluation.NONE) {
      throw new IllegalArgumentException("training.dev_evaluation must be none for pre-training (there is no dev "
          + "metric; the last step is exported); training.dev_evaluation=" + training.devEvaluation().configName());
    }
  }

  /** Reads and validates a YAML file; problems name the file and the key. */
  public static PretrainConfig load(Path file) {
    return load(file, Overrides.NONE);
  }

  /** Reads the YAML file with command-line overrides of its keys, and validates the result. */
  public static PretrainConfig load(Path file, Overrides overrides) {
    return ConfigBinder.read(file, PretrainConfig.class, overrides);
  }

  /** Every setting, defaults included. */
  @Override
  public ObjectNode toJson() {
    return ConfigBinder.toJson(this);
  }
}
