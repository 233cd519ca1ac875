package dev.quarry.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.Folders;
import dev.quarry.io.JsonLines;
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
 */
public final class ModelExport {
  private ModelExport() {
  }

  public static void write(BertModel model, EncoderRecipe recipe, Path tokenizerJson, Path target) {
    Path temp = target.resolveSibling(target.getFileName() + ".writing-" + ProcessHandle.current().pid());
    try {
      Folders.deleteTree(temp);
      Files.createDirectories(temp);
      Safetensors.write(temp.resolve(ModelDirectory.WEIGHTS), model.exportWeights(), Map.of("format", "pt"));
      Files.copy(tokenizerJson, temp.resolve(ModelDirectory.TOKENIZER));
      ModelDirectory.save(temp, model.config(), recipe);
      writeSentenceTransformers(temp, model.config(), recipe);
      Folders.deleteTree(target);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write model to " + target, e);
    }
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
