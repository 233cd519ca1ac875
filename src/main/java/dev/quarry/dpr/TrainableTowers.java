package dev.quarry.dpr;

import ai.djl.ndarray.NDArray;
import dev.quarry.model.BertModel;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.ModelExport;
import dev.quarry.model.NamedTensor;
import dev.quarry.model.TextEncoder;
import dev.quarry.model.TrainableWeights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainable side of a {@link TextEncoder}'s towers, seen as one set of named parameters for the optimizer and the
 * checkpoints. Shared towers use the Hugging Face names as they are; separate towers prefix them with
 * {@value #QUERY_PREFIX} and {@value #PASSAGE_PREFIX}, so one optimizer and one checkpoint file cover both.
 */
final class TrainableTowers implements TrainableWeights {
  static final String QUERY_PREFIX = "query.";
  static final String PASSAGE_PREFIX = "passage.";

  private final BertModel query;
  private final BertModel passage;
  private final Map<String, NDArray> parameters;

  TrainableTowers(TextEncoder encoder) {
    this(encoder, true);
  }

  /** The towers' parameters by name; {@code trainable} false leaves them recording no gradients (a copy to infer). */
  TrainableTowers(TextEncoder encoder, boolean trainable) {
    this.query = encoder.model(TextEncoder.Side.QUERY);
    this.passage = encoder.model(TextEncoder.Side.PASSAGE);
    Map<String, NDArray> all = new LinkedHashMap<>();
    if (shared()) {
      all.putAll(passage.parameters());
    } else {
      query.parameters().forEach((name, a) -> all.put(QUERY_PREFIX + name, a));
      passage.parameters().forEach((name, a) -> all.put(PASSAGE_PREFIX + name, a));
    }
    this.parameters = Collections.unmodifiableMap(all);
    if (trainable) {
      query.setTrainable(true);
      passage.setTrainable(true);
    }
  }

  boolean shared() {
    return query == passage;
  }

  BertModel query() {
    return query;
  }

  BertModel passage() {
    return passage;
  }

  @Override
  public Map<String, NDArray> parameters() {
    return parameters;
  }

  @Override
  public List<NamedTensor> exportWeights() {
    if (shared()) {
      return passage.exportWeights();
    }
    List<NamedTensor> out = new ArrayList<>();
    query.exportWeights().forEach(t -> out.add(new NamedTensor(QUERY_PREFIX + t.name(), t.shape(), t.values())));
    passage.exportWeights().forEach(t -> out.add(new NamedTensor(PASSAGE_PREFIX + t.name(), t.shape(), t.values())));
    return out;
  }

  @Override
  public void loadWeights(Map<String, NamedTensor> weights) {
    if (shared()) {
      passage.loadWeights(weights);
      return;
    }
    query.loadWeights(unprefixed(weights, QUERY_PREFIX));
    passage.loadWeights(unprefixed(weights, PASSAGE_PREFIX));
  }

  /** Writes the towers as a model directory: one model when shared, a dual-encoder directory when separate. */
  void export(EncoderRecipe recipe, Path tokenizerJson, Path target) {
    if (shared()) {
      ModelExport.write(passage, recipe, tokenizerJson, target);
    } else {
      ModelExport.writeDualEncoder(query, passage, recipe, tokenizerJson, target);
    }
  }

  private static Map<String, NamedTensor> unprefixed(Map<String, NamedTensor> weights, String prefix) {
    Map<String, NamedTensor> out = new LinkedHashMap<>();
    weights.forEach((name, t) -> {
      if (name.startsWith(prefix)) {
        out.put(name.substring(prefix.length()), t);
      }
    });
    return out;
  }
}
