package dev.quarry.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One BERT transformer layer (self-attention with a padding mask, feed-forward with exact GELU, post-LayerNorm
 * residual blocks, dropout) over parameters looked up by Hugging Face name under a prefix, as {@code BertLayer}
 * computes it. {@link BertModel}'s encoder and any extra layers built on it (Condenser's head) share this code.
 */
public final class BertLayers {
  private BertLayers() {
  }

  /** The parameter names of one layer under {@code prefix} (for example {@code encoder.layer.3.}). */
  public static List<String> parameterNames(String prefix) {
    List<String> names = new ArrayList<>();
    for (String s : List.of("attention.self.query", "attention.self.key", "attention.self.value",
        "attention.output.dense")) {
      names.add(prefix + s + ".weight");
      names.add(prefix + s + ".bias");
    }
    names.add(prefix + "attention.output.LayerNorm.weight");
    names.add(prefix + "attention.output.LayerNorm.bias");
    names.add(prefix + "intermediate.dense.weight");
    names.add(prefix + "intermediate.dense.bias");
    names.add(prefix + "output.dense.weight");
    names.add(prefix + "output.dense.bias");
    names.add(prefix + "output.LayerNorm.weight");
    names.add(prefix + "output.LayerNorm.bias");
    return names;
  }

  /**
   * The additive attention mask {@code [batch, 1, 1, length]} of a 0/1 padding mask: 0 where attended, the most
   * negative float where padded (as transformers); null when nothing is padded, which saves a pass over every score.
   */
  public static NDArray additiveMask(NDArray attentionMask) {
    return attentionMask.all().getBoolean() ? null : attentionMask.toType(DataType.FLOAT32, false).neg()
        .add(1f).mul(-Float.MAX_VALUE).expandDims(1).expandDims(1);
  }

  /** One layer over {@code x} {@code [batch, length, hidden]}. */
  public static NDArray layer(Map<String, NDArray> params, BertConfig config, NDArray x, NDArray mask, String p,
      boolean training) {
    NDArray attention = selfAttention(params, config, x, mask, p + "attention.self.", training);
    attention = linear(params, attention, p + "attention.output.dense");
    attention = dropout(attention, config.hiddenDropout(), training);
    x = layerNorm(params, config, attention.add(x), p + "attention.output.LayerNorm");
    NDArray h = gelu(linear(params, x, p + "intermediate.dense"));
    h = linear(params, h, p + "output.dense");
    h = dropout(h, config.hiddenDropout(), training);
    return layerNorm(params, config, h.add(x), p + "output.LayerNorm");
  }

  private static NDArray selfAttention(Map<String, NDArray> params, BertConfig config, NDArray x, NDArray mask,
      String p, boolean training) {
    Shape s = x.getShape();
    long batch = s.get(0);
    long length = s.get(1);
    int heads = config.numHeads();
    int dh = config.headSize();
    // the 1/sqrt(d) scale goes on q (length x hidden values), not on the scores (length x length per head)
    NDArray q = linear(params, x, p + "query").div(Torch.scalar(x, (float) Math.sqrt(dh)))
        .reshape(batch, length, heads, dh).transpose(0, 2, 1, 3);
    NDArray k = linear(params, x, p + "key").reshape(batch, length, heads, dh).transpose(0, 2, 3, 1);
    NDArray v = linear(params, x, p + "value").reshape(batch, length, heads, dh).transpose(0, 2, 1, 3);
    NDArray scores = q.matMul(k);
    if (mask != null) {
      scores = scores.add(mask);
    }
    NDArray probs = dropout(scores.softmax(-1), config.attentionDropout(), training);
    return probs.matMul(v).transpose(0, 2, 1, 3).reshape(batch, length, config.hiddenSize());
  }

  /** Exact (erf) GELU. */
  public static NDArray gelu(NDArray x) {
    return x.getNDArrayInternal().gelu();
  }

  /** {@code x W^T + b} with {@code prefix.weight} {@code [out, in]} and {@code prefix.bias}. */
  public static NDArray linear(Map<String, NDArray> params, NDArray x, String prefix) {
    return x.getNDArrayInternal().linear(x, params.get(prefix + ".weight"), params.get(prefix + ".bias"))
        .singletonOrThrow();
  }

  /** LayerNorm over the hidden dimension with {@code prefix.weight} and {@code prefix.bias}. */
  public static NDArray layerNorm(Map<String, NDArray> params, BertConfig config, NDArray x, String prefix) {
    return x.getNDArrayInternal().layerNorm(x, new Shape(config.hiddenSize()), params.get(prefix + ".weight"),
        params.get(prefix + ".bias"), config.layerNormEps()).singletonOrThrow();
  }

  /** Inverted dropout when training, with masks from {@link DropoutMasks}; the identity otherwise. */
  public static NDArray dropout(NDArray x, float rate, boolean training) {
    if (!training || rate == 0) {
      return x;
    }
    return DropoutMasks.apply(x, rate);
  }
}
