package dev.quarry.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.io.JsonLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The recipe a sentence-transformers directory states: pooling from {@code 1_Pooling/config.json} (CLS or mean),
 * normalization from a {@code Normalize} module in {@code modules.json}, the maximum length from
 * {@code sentence_bert_config.json} ({@code max_seq_length}) and the prefixes from the {@code prompts} of
 * {@code config_sentence_transformers.json} ({@code query}; {@code document} or {@code passage}). Quarry's own exports
 * write these files too, so any sentence-transformers client reads them the same way.
 */
public final class SentenceTransformersRecipe {
  static final String POOLING = "1_Pooling/config.json";

  private SentenceTransformersRecipe() {
  }

  /** The recipe, or empty when {@code dir} has no {@value #POOLING}. */
  public static Optional<EncoderRecipe> read(Path dir) {
    Path poolingFile = dir.resolve(POOLING);
    if (!Files.exists(poolingFile)) {
      return Optional.empty();
    }
    JsonNode pooling = json(poolingFile);
    boolean cls = pooling.path("pooling_mode_cls_token").asBoolean(false);
    boolean mean = pooling.path("pooling_mode_mean_tokens").asBoolean(false);
    for (String other : new String[] {"pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens",
        "pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken"}) {
      if (pooling.path(other).asBoolean(false)) {
        throw new IllegalArgumentException(poolingFile + ": " + other + " is not supported (Quarry pools by CLS or "
            + "mean)");
      }
    }
    if (cls == mean) {
      throw new IllegalArgumentException(poolingFile + ": exactly one of pooling_mode_cls_token and "
          + "pooling_mode_mean_tokens must be true");
    }
    boolean normalize = false;
    Path modules = dir.resolve("modules.json");
    if (Files.exists(modules)) {
      for (JsonNode m : json(modules)) {
        normalize |= m.path("type").asText("").endsWith(".Normalize");
      }
    }
    int maxLength = 512;
    Path st = dir.resolve("sentence_bert_config.json");
    if (Files.exists(st) && json(st).path("max_seq_length").canConvertToInt()) {
      maxLength = json(st).path("max_seq_length").asInt();
    }
    String query = "";
    String passage = "";
    Path prompts = dir.resolve("config_sentence_transformers.json");
    if (Files.exists(prompts)) {
      JsonNode p = json(prompts).path("prompts");
      query = p.path("query").asText("");
      passage = p.has("document") ? p.path("document").asText("") : p.path("passage").asText("");
    }
    return Optional.of(new EncoderRecipe(cls ? Pooling.CLS : Pooling.MEAN, normalize, query, passage, maxLength,
        maxLength));
  }

  private static JsonNode json(Path file) {
    try {
      return JsonLines.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage(), e);
    }
  }
}
