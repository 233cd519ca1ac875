package dev.quarry.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.Fixtures;
import dev.quarry.io.JsonLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Hugging Face RoBERTa encoder (byte-level BPE tokenizer, positions from pad_token_id + 1, one token type, weights
 * under "roberta.") embeds on both engines as a NumPy forward pass written from modeling_roberta.py does.
 */
class RobertaImportTest {
  private static final List<String> MERGES = List.of("Ġ t", "h e", "Ġt he", "i n", "Ġ a", "e r");

  @TempDir
  Path tmp;

  /** GPT-2's byte-to-unicode table: every byte as one printable character. */
  private static List<String> byteChars() {
    List<Integer> bs = new ArrayList<>();
    for (int b = '!'; b <= '~'; b++) {
      bs.add(b);
    }
    for (int b = 0xA1; b <= 0xAC; b++) {
      bs.add(b);
    }
    for (int b = 0xAE; b <= 0xFF; b++) {
      bs.add(b);
    }
    String[] chars = new String[256];
    for (int b : bs) {
      chars[b] = new String(Character.toChars(b));
    }
    int n = 0;
    for (int b = 0; b < 256; b++) {
      if (chars[b] == null) {
        chars[b] = new String(Character.toChars(256 + n++));
      }
    }
    return List.of(chars);
  }

  /** A tiny RoBERTa directory as transformers and sentence-transformers save one (mean pooling, normalized). */
  private Path roberta(Path dir, boolean prefixed) throws Exception {
    ObjectNode vocab = JsonLines.MAPPER.createObjectNode();
    String[] specials = {"<s>", "<pad>", "</s>", "<unk>"};
    for (int i = 0; i < specials.length; i++) {
      vocab.put(specials[i], i);
    }
    for (String c : byteChars()) {
      vocab.put(c, vocab.size());
    }
    for (String merge : MERGES) {
      vocab.put(merge.replace(" ", ""), vocab.size());
    }
    ObjectNode tok = JsonLines.MAPPER.createObjectNode();
    tok.put("version", "1.0");
    tok.putNull("truncation");
    tok.putNull("padding");
    ArrayNode added = tok.putArray("added_tokens");
    for (int i = 0; i < specials.length; i++) {
      added.addObject().put("id", i).put("content", specials[i]).put("single_word", false).put("lstrip", false)
          .put("rstrip", false).put("normalized", true).put("special", true);
    }
    tok.putNull("normalizer");
    tok.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false)
        .put("trim_offsets", true).put("use_regex", true);
    ObjectNode post = tok.putObject("post_processor").put("type", "RobertaProcessing");
    post.putArray("sep").add("</s>").add(2);
    post.putArray("cls").add("<s>").add(0);
    post.put("trim_offsets", true).put("add_prefix_space", false);
    tok.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true).put("trim_offsets", true)
        .put("use_regex", true);
    ObjectNode model = tok.putObject("model").put("type", "BPE");
    model.putNull("dropout");
    model.putNull("unk_token");
    model.put("continuing_subword_prefix", "").put("end_of_word_suffix", "").put("fuse_unk", false)
        .put("byte_fallback", false);
    model.set("vocab", vocab);
    ArrayNode merges = model.putArray("merges");
    MERGES.forEach(merges::add);
    Fixtures.write(dir.resolve("tokenizer.json"), tok.toString());

    BertConfig shape = new BertConfig(vocab.size(), 32, 2, 4, 64, 40 - 2, 1, 1e-5f, 0.1f, 0.1f);
    ObjectNode config = JsonLines.MAPPER.createObjectNode();
    config.putArray("architectures").add("RobertaModel");
    config.put("model_type", "roberta").put("vocab_size", vocab.size()).put("hidden_size", 32)
        .put("num_hidden_layers", 2).put("num_attention_heads", 4).put("intermediate_size", 64)
        .put("hidden_act", "gelu").put("max_position_embeddings", 40).put("type_vocab_size", 1)
        .put("layer_norm_eps", 1e-5).put("pad_token_id", 1).put("bos_token_id", 0).put("eos_token_id", 2)
        .put("position_embedding_type", "absolute");
    Fixtures.write(dir.resolve("config.json"), config.toString());
    Random random = new Random(17);
    List<NamedTensor> weights = new ArrayList<>();
    for (String name : BertModel.parameterNames(shape)) {
      long[] s = name.equals("embeddings.position_embeddings.weight") ? new long[] {40, 32}
          : shape.parameterShape(name);
      float[] v = new float[(int) java.util.Arrays.stream(s).reduce(1, (a, b) -> a * b)];
      for (int i = 0; i < v.length; i++) {
        v[i] = name.endsWith("LayerNorm.weight") ? 1f + 0.1f * (float) random.nextGaussian()
            : 0.2f * (float) random.nextGaussian();
      }
      weights.add(new NamedTensor((prefixed ? "roberta." : "") + name, s, v));
    }
    weights.add(new NamedTensor((prefixed ? "roberta." : "") + "pooler.dense.weight", new long[] {32, 32},
        new float[32 * 32]));
    Safetensors.write(dir.resolve("model.safetensors"), weights, Map.of("format", "pt"));
    Fixtures.write(dir.resolve("modules.json"), """
        [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
         {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
         {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]
        """);
    Fixtures.write(dir.resolve("1_Pooling/config.json"), """
        {"word_embedding_dimension": 32, "pooling_mode_cls_token": false, "pooling_mode_mean_tokens": true}
        """);
    Fixtures.write(dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 32}");
    return dir;
  }

  @Test
  void embedsAsTheNumpyReferenceOfModelingRobertaOnBothEngines() throws Exception {
    for (boolean prefixed : new boolean[] {true, false}) {
      Path source = roberta(tmp.resolve("roberta-" + prefixed), prefixed);
      Path converted = ModelDirectory.resolve(source.toString(), tmp.resolve("cache"));
      assertThat(converted.getFileName().toString()).startsWith("roberta-");
      assertThat(ModelDirectory.resolve(source.toString(), tmp.resolve("cache"))).isEqualTo(converted);
      List<String> texts = List.of("the cat sat in the hat", "Another text, with punctuation!", "a",
          "é unicode bytes — and more words than the others have here to read");
      long[][] ids;
      float[][] torch;
      float[][] onnx;
      try (TextEncoder t = TextEncoder.load(converted, InferenceEngine.LIBTORCH);
          TextEncoder o = TextEncoder.load(converted, InferenceEngine.ONNX)) {
        ids = t.tokenize(TextEncoder.Side.PASSAGE, texts);
        torch = t.encodePassages(texts, 3, dev.quarry.util.Progress.NONE);
        onnx = o.encodePassages(texts, 3, dev.quarry.util.Progress.NONE);
      }
      for (long[] row : ids) {
        assertThat(row[0]).as("<s> first").isZero();
        assertThat(row[row.length - 1]).as("</s> last").isEqualTo(2);
      }
      assertThat(ids[3].length).as("truncated to max_seq_length").isEqualTo(32);
      JsonNode reference = dev.quarry.testing.BertReference.embeddings(source, java.util.Arrays.asList(ids),
          tmp.resolve("reference"));
      for (int i = 0; i < texts.size(); i++) {
        for (int d = 0; d < 32; d++) {
          double r = reference.get(i).get(d).asDouble();
          assertThat((double) torch[i][d]).as("libtorch text %d dim %d", i, d).isCloseTo(r, within());
          assertThat((double) onnx[i][d]).as("onnx text %d dim %d", i, d).isCloseTo(r, within());
        }
      }
    }
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-4);
  }

  @Test
  void aRobertaDirectoryWithoutWhatItNeedsSaysWhat() throws Exception {
    Path source = roberta(tmp.resolve("bad"), true);
    assertThatThrownBy(() -> TextEncoder.load(source, InferenceEngine.LIBTORCH))
        .hasMessageContaining("is a RoBERTa encoder: give its directory as --model");
    ObjectNode config = (ObjectNode) JsonLines.MAPPER.readTree(source.resolve("config.json").toFile());
    config.remove("pad_token_id");
    Files.writeString(source.resolve("config.json"), config.toString());
    assertThatThrownBy(() -> ModelDirectory.resolve(source.toString(), tmp.resolve("cache")))
        .hasMessageContaining("needs pad_token_id");
    Files.move(source.resolve("model.safetensors"), source.resolve("pytorch_model.bin"));
    assertThatThrownBy(() -> ModelDirectory.resolve(source.toString(), tmp.resolve("cache")))
        .hasMessageContaining("pytorch_model.bin");
  }
}
