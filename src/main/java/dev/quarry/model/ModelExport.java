package dev.quarry.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.Folders;
import dev.quarry.io.JsonLines;
import dev.quarry.io.Leftovers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a model as a directory that Quarry, Hugging Face {@code transformers} ({@code AutoModel}) and
 * {@code sentence-transformers} load unchanged: {@code config.json}, {@code model.safetensors} (standard BERT
 * names), {@code tokenizer.json}, Quarry's {@code quarry.json} recipe, and the sentence-transformers files
 * ({@code modules.json}, {@code sentence_bert_config.json}, {@code 1_Pooling/config.json}, and {@code 2_Normalize}
 * when the recipe normalizes). The directory is built beside the target and renamed into place.
 *
 * <p>A dual encoder with separate towers ({@link #writeDualEncoder}) is a folder holding one such directory per tower
 * ({@code query_encoder/}, {@code passage_encoder/}), each loadable on its own, and a {@code quarry.json} that tells
 * Quarry to load them as one dual encoder (see {@link ModelDirectory#isDualEncoder}).
 */
public final class ModelExport {
  private ModelExport() {
  }

  public static void write(BertModel model, EncoderRecipe recipe, Path tokenizerJson, Path target) {
    atomically(target, temp -> writeInto(temp, model, recipe, tokenizerJson));
  }

  /** Writes a dual encoder with separate query and passage towers. */
  public static void writeDualEncoder(BertModel queryTower, BertModel passageTower, EncoderRecipe recipe,
      Path tokenizerJson, Path target) {
    atomically(target, temp -> {
      writeInto(temp.resolve(ModelDirectory.QUERY_TOWER), queryTower, recipe, tokenizerJson);
      writeInto(temp.resolve(ModelDirectory.PASSAGE_TOWER), passageTower, recipe, tokenizerJson);
      ObjectNode q = JsonLines.MAPPER.createObjectNode();
      q.put("format", ModelDirectory.DUAL_ENCODER_FORMAT);
      q.put("query_encoder", ModelDirectory.QUERY_TOWER);
      q.put("passage_encoder", ModelDirectory.PASSAGE_TOWER);
      q.set("recipe", recipe.toJson());
      AtomicOutput.writeString(temp.resolve(ModelDirectory.RECIPE), q.toPrettyString() + "\n");
      AtomicOutput.writeString(temp.resolve("README.md"), "Dual encoder trained with Quarry, with separate towers: "
          + "embed queries with " + ModelDirectory.QUERY_TOWER + "/ and passages with " + ModelDirectory.PASSAGE_TOWER
          + "/; each is a Hugging Face / sentence-transformers model directory of its own.\n");
    });
  }

  /** The ONNX file of an export, beside the tokenizer and recipe of the model. */
  public static final String ONNX_FILE = ModelDirectory.ONNX;

  /**
   * Exports a model directory (a single encoder or a dual encoder) as ONNX: per tower, {@value #ONNX_FILE} (the graph
   * of {@link OnnxBertGraph#encoder}: {@code input_ids}, {@code attention_mask}, {@code token_type_ids} to
   * {@code last_hidden_state}), {@code tokenizer.json}, {@code config.json}, {@code quarry.json} and the
   * sentence-transformers pooling files, which say how to pool and normalize. Built beside the target and renamed.
   */
  public static void writeOnnx(Path modelDir, OnnxBertGraph.Precision precision, Path target) {
    EncoderRecipe recipe = ModelDirectory.recipe(modelDir);
    if (!ModelDirectory.isDualEncoder(modelDir)) {
      atomically(target, temp -> writeOnnxInto(temp, modelDir, recipe, precision));
      return;
    }
    atomically(target, temp -> {
      writeOnnxInto(temp.resolve(ModelDirectory.QUERY_TOWER), modelDir.resolve(ModelDirectory.QUERY_TOWER), recipe,
          precision);
      writeOnnxInto(temp.resolve(ModelDirectory.PASSAGE_TOWER), modelDir.resolve(ModelDirectory.PASSAGE_TOWER),
          recipe, precision);
      Files.copy(modelDir.resolve(ModelDirectory.RECIPE), temp.resolve(ModelDirectory.RECIPE));
    });
  }

  private static void writeOnnxInto(Path dir, Path tower, EncoderRecipe recipe, OnnxBertGraph.Precision precision)
      throws IOException {
    Files.createDirectories(dir);
    BertConfig config = ModelDirectory.config(tower);
    byte[] graph = OnnxBertGraph.encoder(config, Safetensors.read(tower.resolve(ModelDirectory.WEIGHTS)), precision);
    Files.write(dir.resolve(ONNX_FILE), graph);
    Files.copy(tower.resolve(ModelDirectory.TOKENIZER), dir.resolve(ModelDirectory.TOKENIZER));
    ModelDirectory.save(dir, config, recipe);
    writeSentenceTransformers(dir, config, recipe);
    AtomicOutput.writeString(dir.resolve("README.md"), "ONNX export of a Quarry encoder (" + precision.name()
        .toLowerCase(Locale.ROOT) + " weights, opset " + OnnxBertGraph.OPSET + "). Inputs: input_ids, attention_mask, "
        + "token_type_ids (int64, [batch, sequence]); output: last_hidden_state [batch, sequence, "
        + config.hiddenSize() + "]. Then " + recipe.pooling().name().toLowerCase(Locale.ROOT) + " pooling"
        + (recipe.normalize() ? " and L2 normalization" : "") + " (quarry.json, 1_Pooling/config.json). Query prefix: \""
        + recipe.queryPrefix() + "\"; passage prefix: \"" + recipe.passagePrefix() + "\"; at most "
        + recipe.queryMaxLength() + " / " + recipe.passageMaxLength() + " tokens.\n");
  }

  /** What {@link #atomically} runs in the temporary folder. */
  public interface Writer {
    void write(Path temp) throws IOException;
  }

  /** Writes a folder beside {@code target} with {@code writer}, then renames it into place. */
  public static void atomically(Path target, Writer writer) {
    Path temp = Leftovers.claim(target, "writing");
    try {
      Folders.deleteTree(temp);
      Files.createDirectories(temp);
      writer.write(temp);
      Folders.deleteTree(target);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write model to " + target, e);
    }
  }

  private static void writeInto(Path dir, BertModel model, EncoderRecipe recipe, Path tokenizerJson)
      throws IOException {
    Files.createDirectories(dir);
    Safetensors.write(dir.resolve(ModelDirectory.WEIGHTS), model.exportWeights(), Map.of("format", "pt"));
    Files.copy(tokenizerJson, dir.resolve(ModelDirectory.TOKENIZER));
    ModelDirectory.save(dir, model.config(), recipe);
    writeSentenceTransformers(dir, model.config(), recipe);
  }

  private static void writeSentenceTransformers(Path dir, BertConfig config, EncoderRecipe recipe) throws IOException {
    ArrayNode modules = JsonLines.MAPPER.createArrayNode();
    modules.addObject().put("idx", 0).put("name", "0").put("path", "").put("type",
        "sentence_transformers.models.Transformer");
    modules.addObject().put("idx", 1).put("name", "1").put("path", "1_Pooling").put("type",
        "sentence_transformers.models.Pooling");
    if (recipe.normalize()) {
      modules.addObject().put("idx", 2).put("name", "2").put("path", "2_Normalize").put("type",
          "sentence_transformers.models.Normalize");
      Files.createDirectories(dir.resolve("2_Normalize"));
    }
    AtomicOutput.writeString(dir.resolve("modules.json"), modules.toPrettyString() + "\n");
    ObjectNode st = JsonLines.MAPPER.createObjectNode();
    st.put("max_seq_length", recipe.passageMaxLength());
    st.put("do_lower_case", false);
    AtomicOutput.writeString(dir.resolve("sentence_bert_config.json"), st.toPrettyString() + "\n");
    ObjectNode pooling = JsonLines.MAPPER.createObjectNode();
    pooling.put("word_embedding_dimension", config.hiddenSize());
    pooling.put("pooling_mode_cls_token", recipe.pooling() == Pooling.CLS);
    pooling.put("pooling_mode_mean_tokens", recipe.pooling() == Pooling.MEAN);
    pooling.put("pooling_mode_max_tokens", false);
    pooling.put("pooling_mode_mean_sqrt_len_tokens", false);
    Files.createDirectories(dir.resolve("1_Pooling"));
    AtomicOutput.writeString(dir.resolve("1_Pooling/config.json"), pooling.toPrettyString() + "\n");
    ObjectNode prompts = JsonLines.MAPPER.createObjectNode();
    prompts.put("query", recipe.queryPrefix());
    prompts.put("document", recipe.passagePrefix());
    ObjectNode stConfig = JsonLines.MAPPER.createObjectNode();
    stConfig.set("prompts", prompts);
    stConfig.put("similarity_fn_name", recipe.normalize() ? "cosine" : "dot");
    AtomicOutput.writeString(dir.resolve("config_sentence_transformers.json"), stConfig.toPrettyString() + "\n");
    String kind = recipe.pooling().name().toLowerCase(Locale.ROOT);
    AtomicOutput.writeString(dir.resolve("README.md"), "Dense retriever trained with Quarry: BERT, " + kind
        + " pooling" + (recipe.normalize() ? ", L2-normalized" : "") + ". Query prefix: \"" + recipe.queryPrefix()
        + "\". Passage prefix: \"" + recipe.passagePrefix() + "\".\n");
  }

}
