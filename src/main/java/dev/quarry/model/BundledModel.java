package dev.quarry.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Pretrained encoders that ship inside Maven Central jars as fp32 ONNX files with their tokenizer (LangChain4j's
 * embedding jars), each with the recipe MTEB evaluates it with. The number of attention heads is not recorded in
 * the ONNX weights, so it is given here.
 */
public enum BundledModel {
  ALL_MINILM_L6_V2("all-minilm-l6-v2", "/all-minilm-l6-v2.onnx", "/all-minilm-l6-v2-tokenizer.json", 12,
      new EncoderRecipe(Pooling.MEAN, true, "", "", 256, 256)),
  BGE_SMALL_EN_V15("bge-small-en-v1.5", "/bge-small-en-v1.5.onnx", "/bge-small-en-v1.5-tokenizer.json", 12,
      new EncoderRecipe(Pooling.CLS, true, "Represent this sentence for searching relevant passages: ", "", 512, 512)),
  E5_SMALL_V2("e5-small-v2", "/e5-small-v2.onnx", "/e5-small-v2-tokenizer.json", 12,
      new EncoderRecipe(Pooling.MEAN, true, "query: ", "passage: ", 512, 512));

  private final String id;
  private final String onnxResource;
  private final String tokenizerResource;
  private final int numHeads;
  private final EncoderRecipe recipe;

  BundledModel(String id, String onnxResource, String tokenizerResource, int numHeads, EncoderRecipe recipe) {
    this.id = id;
    this.onnxResource = onnxResource;
    this.tokenizerResource = tokenizerResource;
    this.numHeads = numHeads;
    this.recipe = recipe;
  }

  public String id() {
    return id;
  }

  public String onnxResource() {
    return onnxResource;
  }

  public String tokenizerResource() {
    return tokenizerResource;
  }

  public int numHeads() {
    return numHeads;
  }

  public EncoderRecipe recipe() {
    return recipe;
  }

  /** The bundled model with this name (case-insensitive), if any. */
  public static Optional<BundledModel> byId(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(m -> m.id.equals(n)).findFirst();
  }

  public static String names() {
    return Arrays.stream(values()).map(BundledModel::id).collect(Collectors.joining(", "));
  }
}
