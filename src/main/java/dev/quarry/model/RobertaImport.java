package dev.quarry.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.Checksums;
import dev.quarry.io.JsonLines;
import dev.quarry.io.Leftovers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face RoBERTa encoders ({@code model_type: roberta}, ANCE's backbone, from safetensors) as Quarry models.
 *
 * <p>RoBERTa is BERT with two differences that matter to a forward pass: its byte-level BPE tokenizer, which
 * {@code tokenizer.json} carries whole (DJL's tokenizers run it, {@code <s>} and {@code </s>} from its post-processor),
 * and its position ids, which start at {@code pad_token_id + 1} (2) rather than 0 ({@code RobertaEmbeddings}). The
 * import moves that offset into the table: rows {@code [offset, max_position_embeddings)} of the position embeddings
 * become rows {@code [0, max_position_embeddings - offset)} of a BERT-layout model, so position {@code i} reads what
 * RoBERTa reads at {@code offset + i}, and every engine runs it as the BERT it then is. The one token type
 * ({@code type_vocab_size: 1}) stays; Quarry gives single texts type 0. The converted directory is written once into
 * the cache ({@code <cache>/models/roberta-<sha>}, keyed by the source's files) with the recipe the source states.
 * Checked against a NumPy forward pass written from {@code modeling_roberta.py} ({@code scripts/bert_reference.py}).
 */
final class RobertaImport {
  private RobertaImport() {
  }

  static boolean isRoberta(Path dir) {
    Path config = dir.resolve(ModelDirectory.CONFIG);
    if (!Files.exists(config)) {
      return false;
    }
    try {
      return "roberta".equals(JsonLines.MAPPER.readTree(config.toFile()).path("model_type").asText());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + config, e);
    }
  }

  /** The BERT-layout copy of RoBERTa directory {@code dir} in the cache, converted on first use. */
  static Path importInto(Path dir, Path cacheRoot) {
    for (String f : List.of(ModelDirectory.CONFIG, ModelDirectory.WEIGHTS, ModelDirectory.TOKENIZER)) {
      if (!Files.exists(dir.resolve(f))) {
        throw new IllegalArgumentException("RoBERTa model directory " + dir + " has no " + f
            + (f.equals(ModelDirectory.WEIGHTS) && Files.exists(dir.resolve("pytorch_model.bin"))
                ? " (it holds pytorch_model.bin, a pickle Quarry does not read; convert it in Python: "
                    + "AutoModel.from_pretrained(DIR).save_pretrained(DIR, safe_serialization=True))" : ""));
      }
    }
    EncoderRecipe recipe = ModelDirectory.recipe(dir);
    Path configFile = dir.resolve(ModelDirectory.CONFIG);
    JsonNode c;
    try {
      c = JsonLines.MAPPER.readTree(configFile.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + configFile, e);
    }
    int offset = offset(c, configFile.toString());
    ObjectNode asBert = c.deepCopy();
    asBert.put("model_type", "bert");
    asBert.put("max_position_embeddings", c.path("max_position_embeddings").asInt(514) - offset);
    asBert.put("type_vocab_size", c.path("type_vocab_size").asInt(1));
    asBert.put("layer_norm_eps", c.path("layer_norm_eps").asDouble(1e-5));
    BertConfig config = BertConfig.fromJson(asBert, configFile.toString());
    String key = Checksums.sha256(Checksums.sha256(configFile) + "\n" + Checksums.sha256(dir.resolve(
        ModelDirectory.WEIGHTS)) + "\n" + Checksums.sha256(dir.resolve(ModelDirectory.TOKENIZER)) + "\n"
        + recipe.toJson());
    Path target = cacheRoot.resolve("models").resolve("roberta-" + key.substring(0, 16));
    if (Files.exists(target.resolve(ModelDirectory.RECIPE))) {
      return target;
    }
    Map<String, NamedTensor> weights = Safetensors.read(dir.resolve(ModelDirectory.WEIGHTS));
    List<NamedTensor> ordered = new ArrayList<>();
    for (String name : BertModel.parameterNames(config)) {
      NamedTensor t = weights.containsKey(name) ? weights.get(name) : weights.get("roberta." + name);
      if (t == null) {
        throw new IllegalArgumentException(dir.resolve(ModelDirectory.WEIGHTS) + " has no weight " + name
            + " (nor roberta." + name + "); is it a RoBERTa encoder?");
      }
      if (name.equals("embeddings.position_embeddings.weight")) {
        int h = config.hiddenSize();
        t = new NamedTensor(name, new long[] {config.maxPositions(), h},
            Arrays.copyOfRange(t.values(), offset * h, (offset + config.maxPositions()) * h));
      }
      ordered.add(t.name().equals(name) ? t : new NamedTensor(name, t.shape(), t.values()));
    }
    Path temp = Leftovers.claim(target, "importing");
    try (InputStream tokenizer = Files.newInputStream(dir.resolve(ModelDirectory.TOKENIZER))) {
      return ModelDirectory.install(temp, target, ordered, tokenizer, config, recipe);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot import " + dir + " into " + target, e);
    }
  }

  /** Where RoBERTa's positions start: {@code pad_token_id + 1}. */
  private static int offset(JsonNode c, String source) {
    JsonNode pad = c.get("pad_token_id");
    if (pad == null || !pad.canConvertToInt() || pad.asInt() < 0) {
      throw new IllegalArgumentException(source + ": a RoBERTa config needs pad_token_id (its position ids start "
          + "after it)");
    }
    String positions = c.path("position_embedding_type").asText("absolute");
    if (!positions.equals("absolute")) {
      throw new IllegalArgumentException(source + ": position_embedding_type \"" + positions + "\" is not supported"
          + " (only absolute)");
    }
    int offset = pad.asInt() + 1;
    if (c.path("max_position_embeddings").asInt(514) <= offset) {
      throw new IllegalArgumentException(source + ": max_position_embeddings must exceed pad_token_id + 1");
    }
    return offset;
  }
}
