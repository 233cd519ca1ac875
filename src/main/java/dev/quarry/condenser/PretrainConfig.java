package dev.quarry.condenser;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.config.ConfigSection;
import dev.quarry.config.Overrides;
import dev.quarry.config.RunConfig;
import dev.quarry.io.DataFormatException;
import dev.quarry.io.JsonLines;
import dev.quarry.train.DevEvaluation;
import dev.quarry.train.TrainingConfig;
import dev.quarry.train.TrainingSections;
import java.nio.file.Path;
import java.util.List;

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
public record PretrainConfig(String model, CondenserConfig condenser, TrainingConfig training) implements RunConfig {
  private static final List<String> ROOT = List.of("model", "condenser", "training");
  private static final List<String> MODEL = List.of("name");
  private static final List<String> CONDENSER = List.of("early_layers", "head_layers", "span_tokens", "min_tokens",
      "mask_probability", "mlm_weight", "contrastive_weight", "head_warmup_steps",
      "head_learning_rate");

  public PretrainConfig {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model.name must name a model");
    }
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
    ConfigSection root = ConfigSection.readYaml(file, ROOT, overrides);
    try {
      ConfigSection c = root.section("condenser", CONDENSER);
      CondenserConfig condenser = new CondenserConfig(c.requiredInt("early_layers"),
          c.optionalInt("head_layers", CondenserConfig.DEFAULT_HEAD_LAYERS), c.requiredInt("span_tokens"),
          c.optionalInt("min_tokens", CondenserConfig.DEFAULT_MIN_TOKENS),
          c.optionalDouble("mask_probability", CondenserConfig.DEFAULT_MASK_PROBABILITY),
          c.optionalDouble("mlm_weight", 1.0), c.optionalDouble("contrastive_weight", 1.0),
          c.optionalInt("head_warmup_steps", 0), c.optionalDouble("head_learning_rate", 0));
      return new PretrainConfig(root.section("model", MODEL).requiredString("name"), condenser,
          TrainingSections.training(root.section("training", TrainingSections.TRAINING_KEYS)));
    } catch (IllegalArgumentException e) {
      throw new DataFormatException(file, 0, e.getMessage(), e);
    }
  }

  /** Every setting, defaults included. */
  @Override
  public ObjectNode toJson() {
    ObjectNode root = JsonLines.MAPPER.createObjectNode();
    root.putObject("model").put("name", model);
    condenser.writeTo(root.putObject("condenser"));
    training.writeTo(root.putObject("training"));
    return root;
  }
}
