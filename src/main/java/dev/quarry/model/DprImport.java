package dev.quarry.model;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.JsonLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Imports Hugging Face DPR checkpoints ({@code model_type: dpr}: a {@code DPRQuestionEncoder} and a
 * {@code DPRContextEncoder} directory, such as {@code facebook/dpr-question_encoder-single-nq-base} and
 * {@code facebook/dpr-ctx_encoder-single-nq-base}) as one Quarry dual encoder with separate towers. The towers' BERT
 * weights sit under {@code question_encoder.bert_model.} and {@code ctx_encoder.bert_model.}; DPR embeds with the
 * {@code [CLS]} state, unnormalized, scored by inner product, 256 tokens at most ({@code projection_dim} 0: a
 * projection layer is not supported and is an error). Each directory needs {@code config.json},
 * {@code model.safetensors} and {@code tokenizer.json}; a missing one, or a {@code pytorch_model.bin} in place of the
 * safetensors, is an error that says how to get it.
 */
public final class DprImport {
  /** DPR's recipe: CLS pooling, no normalization, no prefixes, 256 tokens on both sides. */
  public static final EncoderRecipe RECIPE = new EncoderRecipe(Pooling.CLS, false, "", "", 256, 256);

  private DprImport() {
  }

  /** One side of a DPR checkpoint: its architecture name and its weights' prefix. */
  enum Side {
    QUESTION("DPRQuestionEncoder", "question_encoder.bert_model."),
    CONTEXT("DPRContextEncoder", "ctx_encoder.bert_model.");

    final String architecture;
    final String prefix;

    Side(String architecture, String prefix) {
      this.architecture = architecture;
      this.prefix = prefix;
    }
  }

  /** Writes the dual encoder of {@code questionEncoder} and {@code contextEncoder} to {@code target}. */
  public static void importDualEncoder(Path questionEncoder, Path contextEncoder, Path target) {
    BertConfig questionConfig = config(questionEncoder, Side.QUESTION);
    BertConfig contextConfig = config(contextEncoder, Side.CONTEXT);
    Path tokenizer = requireFile(questionEncoder, ModelDirectory.TOKENIZER,
        "save it with AutoTokenizer.from_pretrained(DIR).save_pretrained(DIR) (a fast tokenizer writes it)");
    Path contextTokenizer = requireFile(contextEncoder, ModelDirectory.TOKENIZER,
        "save it with AutoTokenizer.from_pretrained(DIR).save_pretrained(DIR) (a fast tokenizer writes it)");
    try {
      if (!Arrays.equals(Files.readAllBytes(tokenizer), Files.readAllBytes(contextTokenizer))) {
        throw new IllegalArgumentException("the question and context encoders have different tokenizer.json files ("
            + tokenizer + ", " + contextTokenizer + "); a Quarry dual encoder shares one");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Torch.configureThreads();
    try (NDManager manager = NDManager.newBaseManager();
        BertModel query = BertModel.of(questionConfig, weights(questionEncoder, Side.QUESTION), manager);
        BertModel passage = BertModel.of(contextConfig, weights(contextEncoder, Side.CONTEXT), manager)) {
      ModelExport.writeDualEncoder(query, passage, RECIPE, tokenizer, target);
    }
  }

  private static BertConfig config(Path dir, Side side) {
    Path file = requireFile(dir, ModelDirectory.CONFIG, "it comes with every Hugging Face checkpoint");
    JsonNode c;
    try {
      c = JsonLines.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (!"dpr".equals(c.path("model_type").asText())) {
      throw new IllegalArgumentException(file + ": model_type is \"" + c.path("model_type").asText()
          + "\", not dpr; import-dpr reads Hugging Face DPR checkpoints");
    }
    JsonNode architectures = c.path("architectures");
    if (architectures.isArray() && architectures.size() > 0
        && !side.architecture.equals(architectures.get(0).asText())) {
      throw new IllegalArgumentException(file + " is a " + architectures.get(0).asText() + ", not a "
          + side.architecture + "; give the question encoder first and the context encoder second");
    }
    if (c.path("projection_dim").asInt(0) != 0) {
      throw new IllegalArgumentException(file + ": projection_dim " + c.path("projection_dim").asInt()
          + " (a projection after [CLS]) is not supported; DPR's released checkpoints have none (0)");
    }
    ObjectNode bert = ((ObjectNode) c).deepCopy();
    bert.put("model_type", "bert");
    return BertConfig.fromJson(bert, file.toString());
  }

  /** The tower's BERT weights under BERT's own names; DPR's pooler is left out (CLS pooling ignores it). */
  private static Map<String, NamedTensor> weights(Path dir, Side side) {
    if (!Files.exists(dir.resolve(ModelDirectory.WEIGHTS)) && Files.exists(dir.resolve("pytorch_model.bin"))) {
      throw new IllegalArgumentException(dir + " holds pytorch_model.bin, a pickle Quarry does not read; convert it "
          + "to model.safetensors first, for example in Python: " + side.architecture + ".from_pretrained(DIR)"
          + ".save_pretrained(DIR, safe_serialization=True)");
    }
    Path file = requireFile(dir, ModelDirectory.WEIGHTS, "see the Hugging Face checkpoint's files");
    Map<String, NamedTensor> out = new LinkedHashMap<>();
    Safetensors.read(file).forEach((name, t) -> {
      if (name.startsWith(side.prefix)) {
        String bare = name.substring(side.prefix.length());
        out.put(bare, new NamedTensor(bare, t.shape(), t.values()));
      }
    });
    if (out.isEmpty()) {
      throw new IllegalArgumentException(file + " has no weight under " + side.prefix + "; is it a "
          + side.architecture + "?");
    }
    return out;
  }

  private static Path requireFile(Path dir, String name, String how) {
    Path file = dir.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("DPR directory " + dir + " has no " + name + "; " + how);
    }
    return file;
  }
}
