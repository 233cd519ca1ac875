package dev.quarry.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.io.JsonLines;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An exported model directory, read by an independent NumPy forward pass written from the Hugging Face BERT
 * definition (scripts/bert_reference.py) under Hugging Face parameter names and sentence-transformers pooling files,
 * gives Quarry's embeddings to 1e-4. Uses the real all-minilm-l6-v2 weights.
 */
class ExportReferenceTest {
  @TempDir
  static Path tmp;

  @Test
  void numpyReferenceLoadsTheExportAndAgrees() throws Exception {
    Path bundled = ModelDirectory.resolve("all-minilm-l6-v2", tmp.resolve("cache"));
    Path exported = tmp.resolve("exported");
    List<String> texts = List.of("Vitamin D deficiency is associated with tuberculosis.",
        "0-dimensional biomaterials show inductive properties.", "A", "The cat sat on the mat, again and again.");
    float[][] quarry;
    long[][] ids;
    try (TextEncoder encoder = TextEncoder.load(bundled)) {
      ModelExport.write(encoder.model(TextEncoder.Side.PASSAGE), encoder.recipe(), bundled.resolve(ModelDirectory.TOKENIZER), exported);
    }
    try (TextEncoder reloaded = TextEncoder.load(exported)) {
      ids = reloaded.tokenize(TextEncoder.Side.PASSAGE, texts);
      quarry = new float[texts.size()][];
      for (int i = 0; i < texts.size(); i++) {
        quarry[i] = reloaded.encodeBatch(TextEncoder.Side.PASSAGE, List.of(ids[i]))[0];
      }
    }
    JsonNode reference = dev.quarry.testing.BertReference.embeddings(exported, java.util.Arrays.asList(ids),
        tmp.resolve("reference"));
    double maxDiff = 0;
    for (int i = 0; i < texts.size(); i++) {
      for (int d = 0; d < quarry[i].length; d++) {
        maxDiff = Math.max(maxDiff, Math.abs(quarry[i][d] - reference.get(i).get(d).asDouble()));
      }
    }
    assertThat(maxDiff).as("max |quarry - numpy reference|").isLessThan(1e-4);
    // the sentence-transformers files say what all-MiniLM-L6-v2 is (its recipe: mean pooling, L2-normalized, no
    // prefixes, 384 dimensions), in the layout of sentence-transformers' own all-MiniLM-L6-v2 directory
    EncoderRecipe recipe = ModelDirectory.recipe(bundled);
    assertThat(recipe.pooling()).isEqualTo(Pooling.MEAN);
    assertThat(recipe.normalize()).isTrue();
    assertThat(JsonLines.MAPPER.readTree(exported.resolve("modules.json").toFile())).isEqualTo(JsonLines.MAPPER.readTree(
        "[{\"idx\": 0, \"name\": \"0\", \"path\": \"\", \"type\": \"sentence_transformers.models.Transformer\"},"
        + " {\"idx\": 1, \"name\": \"1\", \"path\": \"1_Pooling\", \"type\": \"sentence_transformers.models.Pooling\"},"
        + " {\"idx\": 2, \"name\": \"2\", \"path\": \"2_Normalize\", \"type\": \"sentence_transformers.models.Normalize\"}]"));
    assertThat(JsonLines.MAPPER.readTree(exported.resolve("1_Pooling/config.json").toFile())).isEqualTo(
        JsonLines.MAPPER.readTree("{\"word_embedding_dimension\": 384, \"pooling_mode_cls_token\": false, "
            + "\"pooling_mode_mean_tokens\": true, \"pooling_mode_max_tokens\": false, "
            + "\"pooling_mode_mean_sqrt_len_tokens\": false}"));
    JsonNode st = JsonLines.MAPPER.readTree(exported.resolve("config_sentence_transformers.json").toFile());
    assertThat(st.path("prompts").path("query").asText("?")).isEqualTo(recipe.queryPrefix()).isEmpty();
    assertThat(st.path("prompts").path("document").asText("?")).isEqualTo(recipe.passagePrefix()).isEmpty();
    assertThat(st.path("similarity_fn_name").asText()).isEqualTo("cosine");
    assertThat(quarry[0]).hasSize(384);
  }
}
