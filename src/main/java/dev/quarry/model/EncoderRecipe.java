package dev.quarry.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.JsonLines;
import java.util.Locale;

/**
 * How a model is used for retrieval: pooling, normalization, the prefixes (instructions) put before queries and
 * passages, and their maximum lengths in tokens. Stored as {@code quarry.json} in a model directory so a trained model
 * keeps it.
 */
public record EncoderRecipe(Pooling pooling, boolean normalize, String queryPrefix, String passagePrefix,
    int queryMaxLength, int passageMaxLength) {

  public EncoderRecipe {
    if (pooling == null) {
      throw new IllegalArgumentException("pooling must be CLS or MEAN");
    }
    queryPrefix = queryPrefix == null ? "" : queryPrefix;
    passagePrefix = passagePrefix == null ? "" : passagePrefix;
    if (queryMaxLength < 2 || passageMaxLength < 2) {
      throw new IllegalArgumentException("max lengths must be at least 2 tokens; queryMaxLength=" + queryMaxLength
          + " passageMaxLength=" + passageMaxLength);
    }
  }

  public ObjectNode toJson() {
    ObjectNode o = JsonLines.MAPPER.createObjectNode();
    o.put("pooling", pooling.name().toLowerCase(Locale.ROOT));
    o.put("normalize", normalize);
    o.put("query_prefix", queryPrefix);
    o.put("passage_prefix", passagePrefix);
    o.put("query_max_length", queryMaxLength);
    o.put("passage_max_length", passageMaxLength);
    return o;
  }

  public static EncoderRecipe fromJson(JsonNode o, String source) {
    String pooling = o.path("pooling").asText("");
    Pooling p;
    try {
      p = Pooling.valueOf(pooling.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": \"pooling\" must be cls or mean, found \"" + pooling + "\"", e);
    }
    return new EncoderRecipe(p, o.path("normalize").asBoolean(true), o.path("query_prefix").asText(""),
        o.path("passage_prefix").asText(""), o.path("query_max_length").asInt(512),
        o.path("passage_max_length").asInt(512));
  }
}
