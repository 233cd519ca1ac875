package dev.quarry.dpr;

import dev.quarry.config.ConfigDefault;
import dev.quarry.model.EncoderRecipe;
import java.util.OptionalInt;

/**
 * The {@code model} section of a {@link TrainConfig}: which encoder to start from and how its towers are shared.
 *
 * @param name a bundled model name ({@code all-minilm-l6-v2}, ...) or a model directory, as {@code --model} takes
 * @param sharedTowers one encoder for queries and passages (true, the default) or two encoders started from the same
 *     weights, trained apart and exported as a dual-encoder directory ({@code query_encoder/}, {@code passage_encoder/})
 * @param queryMaxLength query length in tokens, overriding the model's recipe when present; at least 2
 * @param passageMaxLength passage length in tokens, overriding the model's recipe when present; at least 2
 */
public record ModelConfig(String name, @ConfigDefault("true") boolean sharedTowers, OptionalInt queryMaxLength,
    OptionalInt passageMaxLength) {

  public ModelConfig {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("model.name must not be empty; model.name=\"" + name + "\"");
    }
    if (queryMaxLength == null || passageMaxLength == null) {
      throw new IllegalArgumentException("model max lengths must be OptionalInt values, not null");
    }
    checkLength("model.query_max_length", queryMaxLength);
    checkLength("model.passage_max_length", passageMaxLength);
  }

  private static void checkLength(String key, OptionalInt length) {
    if (length.isPresent() && length.getAsInt() < 2) {
      throw new IllegalArgumentException(key + " must be at least 2; " + key + "=" + length.getAsInt());
    }
  }

  /** The model's recipe with this section's max lengths put in place of the recipe's own where given. */
  public EncoderRecipe applyTo(EncoderRecipe recipe) {
    return new EncoderRecipe(recipe.pooling(), recipe.normalize(), recipe.queryPrefix(), recipe.passagePrefix(),
        queryMaxLength.orElse(recipe.queryMaxLength()), passageMaxLength.orElse(recipe.passageMaxLength()));
  }
}
