package dev.quarry.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.JsonLines;

/**
 * The shape of a BERT encoder, with Hugging Face's {@code config.json} names.
 *
 * @param vocabSize {@code vocab_size}
 * @param hiddenSize {@code hidden_size}
 * @param numLayers {@code num_hidden_layers}
 * @param numHeads {@code num_attention_heads}; must divide hiddenSize
 * @param intermediateSize {@code intermediate_size}
 * @param maxPositions {@code max_position_embeddings}
 * @param typeVocabSize {@code type_vocab_size}
 * @param layerNormEps {@code layer_norm_eps}
 * @param hiddenDropout {@code hidden_dropout_prob}
 * @param attentionDropout {@code attention_probs_dropout_prob}
 */
public record BertConfig(int vocabSize, int hiddenSize, int numLayers, int numHeads, int intermediateSize,
    int maxPositions, int typeVocabSize, float layerNormEps, float hiddenDropout, float attentionDropout) {

  public BertConfig {
    positive("vocabSize", vocabSize);
    positive("hiddenSize", hiddenSize);
    positive("numLayers", numLayers);
    positive("numHeads", numHeads);
    positive("intermediateSize", intermediateSize);
    positive("maxPositions", maxPositions);
    positive("typeVocabSize", typeVocabSize);
    if (hiddenSize % numHeads != 0) {
      throw new IllegalArgumentException("hiddenSize must be a multiple of numHeads; hiddenSize=" + hiddenSize
          + " numHeads=" + numHeads);
    }
    if (!(layerNormEps > 0)) {
      throw new IllegalArgumentException("layerNormEps must be positive; layerNormEps=" + layerNormEps);
    }
    if (!(hiddenDropout >= 0 && hiddenDropout < 1) || !(attentionDropout >= 0 && attentionDropout < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1); hiddenDropout=" + hiddenDropout
          + " attentionDropout=" + attentionDropout);
    }
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive; " + name + "=" + value);
    }
  }

  public int headSize() {
    return hiddenSize / numHeads;
  }

  /** Reads a Hugging Face BERT {@code config.json}. */
  public static BertConfig fromJson(JsonNode c, String source) {
    String type = c.path("model_type").asText("bert");
    if (type.equals("dpr")) {
      throw new IllegalArgumentException(source + " is a Hugging Face DPR encoder; import its question and context "
          + "encoders as one dual encoder with quarry import-dpr");
    }
    if (type.equals("roberta")) {
      throw new IllegalArgumentException(source + " is a RoBERTa encoder: give its directory as --model (or to "
          + "ModelDirectory.resolve), which converts it once into Quarry's cache");
    }
    if (!type.equals("bert")) {
      throw new IllegalArgumentException(source + ": model_type \"" + type + "\" is not supported (only bert, and roberta through --model)");
    }
    String act = c.path("hidden_act").asText("gelu");
    if (!act.equals("gelu")) {
      throw new IllegalArgumentException(source + ": hidden_act \"" + act + "\" is not supported (only gelu)");
    }
    return new BertConfig(
        require(c, "vocab_size", source), require(c, "hidden_size", source), require(c, "num_hidden_layers", source),
        require(c, "num_attention_heads", source), require(c, "intermediate_size", source),
        c.path("max_position_embeddings").asInt(512), c.path("type_vocab_size").asInt(2),
        (float) c.path("layer_norm_eps").asDouble(1e-12), (float) c.path("hidden_dropout_prob").asDouble(0.1),
        (float) c.path("attention_probs_dropout_prob").asDouble(0.1));
  }

  private static int require(JsonNode c, String key, String source) {
    JsonNode v = c.get(key);
    if (v == null || !v.canConvertToInt()) {
      throw new IllegalArgumentException(source + ": missing or non-integer \"" + key + "\"");
    }
    return v.asInt();
  }

  /** A {@code config.json} that Hugging Face {@code transformers} loads as a {@code BertModel}. */
  public ObjectNode toJson() {
    ObjectNode o = JsonLines.MAPPER.createObjectNode();
    o.putArray("architectures").add("BertModel");
    o.put("model_type", "bert");
    o.put("vocab_size", vocabSize);
    o.put("hidden_size", hiddenSize);
    o.put("num_hidden_layers", numLayers);
    o.put("num_attention_heads", numHeads);
    o.put("intermediate_size", intermediateSize);
    o.put("hidden_act", "gelu");
    o.put("max_position_embeddings", maxPositions);
    o.put("type_vocab_size", typeVocabSize);
    o.put("layer_norm_eps", layerNormEps);
    o.put("hidden_dropout_prob", hiddenDropout);
    o.put("attention_probs_dropout_prob", attentionDropout);
    o.put("initializer_range", 0.02);
    o.put("pad_token_id", 0);
    o.put("position_embedding_type", "absolute");
    o.put("torch_dtype", "float32");
    return o;
  }

  /**
   * The shape of a BERT parameter by its Hugging Face name: the embeddings, any transformer layer's weights (under any
   * prefix, so extra layers such as Condenser's head too), and hidden-size dense and LayerNorm parameters.
   */
  public long[] parameterShape(String name) {
    long h = hiddenSize;
    if (name.equals("embeddings.word_embeddings.weight")) {
      return new long[] {vocabSize, h};
    }
    if (name.equals("embeddings.position_embeddings.weight")) {
      return new long[] {maxPositions, h};
    }
    if (name.equals("embeddings.token_type_embeddings.weight")) {
      return new long[] {typeVocabSize, h};
    }
    if (name.endsWith("intermediate.dense.weight")) {
      return new long[] {intermediateSize, h};
    }
    if (name.endsWith("intermediate.dense.bias")) {
      return new long[] {intermediateSize};
    }
    if (name.endsWith("output.dense.weight") && !name.contains("attention")) {
      return new long[] {h, intermediateSize};
    }
    if (name.endsWith(".weight") && !name.contains("LayerNorm")) {
      return new long[] {h, h};
    }
    return new long[] {h};
  }
}
