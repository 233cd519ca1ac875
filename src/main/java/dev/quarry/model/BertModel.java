package dev.quarry.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A BERT encoder written with DJL's NDArray operations (PyTorch engine): embeddings, self-attention with a padding
 * mask, feed-forward with exact GELU, post-LayerNorm residual blocks and dropout, as Hugging Face's {@code BertModel}
 * computes them. Parameters live in the manager given at construction, under Hugging Face's names; every activation
 * is created in the manager of the input arrays, so a caller's per-batch sub-manager frees them. Gradients flow
 * through {@link #forward} when it runs inside a {@code GradientCollector} with parameters that require gradients.
 */
public final class BertModel implements AutoCloseable {
  private final BertConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> parameters;

  private BertModel(BertConfig config, NDManager manager, Map<String, NDArray> parameters) {
    this.config = config;
    this.manager = manager;
    this.parameters = parameters;
  }

  /**
   * Builds the model from Hugging Face-named weights (a {@code bert.} prefix is dropped; the pooler is ignored).
   *
   * @param parent the manager the model's own sub-manager is made in
   */
  public static BertModel of(BertConfig config, Map<String, NamedTensor> weights, NDManager parent) {
    NDManager manager = parent.newSubManager();
    Map<String, NDArray> params = new LinkedHashMap<>();
    for (String name : parameterNames(config)) {
      NamedTensor t = weights.get(name);
      if (t == null) {
        t = weights.get("bert." + name);
      }
      if (t == null) {
        manager.close();
        throw new IllegalArgumentException("missing weight " + name);
      }
      NDArray a = manager.create(t.values(), new Shape(t.shape()));
      a.setName(name);
      params.put(name, a);
    }
    return new BertModel(config, manager, params);
  }

  /** Every parameter name, in Hugging Face's order. */
  public static List<String> parameterNames(BertConfig config) {
    List<String> names = new ArrayList<>(List.of("embeddings.word_embeddings.weight",
        "embeddings.position_embeddings.weight", "embeddings.token_type_embeddings.weight",
        "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias"));
    for (int l = 0; l < config.numLayers(); l++) {
      String p = "encoder.layer." + l + ".";
      for (String s : List.of("attention.self.query", "attention.self.key", "attention.self.value",
          "attention.output.dense")) {
        names.add(p + s + ".weight");
        names.add(p + s + ".bias");
      }
      names.add(p + "attention.output.LayerNorm.weight");
      names.add(p + "attention.output.LayerNorm.bias");
      names.add(p + "intermediate.dense.weight");
      names.add(p + "intermediate.dense.bias");
      names.add(p + "output.dense.weight");
      names.add(p + "output.dense.bias");
      names.add(p + "output.LayerNorm.weight");
      names.add(p + "output.LayerNorm.bias");
    }
    return names;
  }

  /** Makes every parameter record gradients (for training); embeddings from {@link #forward} then carry a graph. */
  public void setTrainable(boolean trainable) {
    parameters.values().forEach(p -> p.setRequiresGradient(trainable));
  }

  public BertConfig config() {
    return config;
  }

  /** The parameters by Hugging Face name (live arrays: training updates them in place). */
  public Map<String, NDArray> parameters() {
    return parameters;
  }

  /**
   * The last hidden states {@code [batch, length, hidden]}.
   *
   * @param inputIds {@code [batch, length]} int64 token ids
   * @param attentionMask {@code [batch, length]} int64, 1 for real tokens and 0 for padding
   * @param tokenTypeIds {@code [batch, length]} int64 segment ids
   * @param training apply dropout
   */
  public NDArray forward(NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds, boolean training) {
    long length = inputIds.getShape().get(1);
    if (length > config.maxPositions()) {
      throw new IllegalArgumentException("sequence of " + length + " tokens exceeds the model's "
          + config.maxPositions() + " positions");
    }
    NDManager m = inputIds.getManager();
    NDArray positions = m.arange(0, (int) length, 1, DataType.INT64).expandDims(0);
    NDArray x = embed(inputIds, "embeddings.word_embeddings.weight")
        .add(embed(tokenTypeIds, "embeddings.token_type_embeddings.weight"))
        .add(embed(positions, "embeddings.position_embeddings.weight"));
    x = layerNorm(x, "embeddings.LayerNorm");
    x = dropout(x, config.hiddenDropout(), training);
    // additive mask [batch, 1, 1, length]: 0 where attended, the most negative float where padded (as transformers);
    // none at all when nothing is padded, which saves a pass over every attention score
    NDArray mask = attentionMask.all().getBoolean() ? null : attentionMask.toType(DataType.FLOAT32, false).neg()
        .add(1f).mul(-Float.MAX_VALUE).expandDims(1).expandDims(1);
    for (int l = 0; l < config.numLayers(); l++) {
      // each layer's activations live in their own scope, freed when the layer is done (autograd keeps what backward
      // needs by reference), so peak memory is one layer's, not all of them: 12 layers of 32x12x512x512 attention
      // scores would otherwise stay alive until the caller's batch manager closes
      try (NDManager scope = m.newSubManager()) {
        x.attach(scope);
        NDArray out = layer(x, mask, "encoder.layer." + l + ".", training);
        out.attach(m);
        x = out;
      }
    }
    return x;
  }

  private NDArray layer(NDArray x, NDArray mask, String p, boolean training) {
    NDArray attention = selfAttention(x, mask, p + "attention.self.", training);
    attention = linear(attention, p + "attention.output.dense");
    attention = dropout(attention, config.hiddenDropout(), training);
    x = layerNorm(attention.add(x), p + "attention.output.LayerNorm");
    NDArray h = linear(x, p + "intermediate.dense").getNDArrayInternal().gelu();
    h = linear(h, p + "output.dense");
    h = dropout(h, config.hiddenDropout(), training);
    return layerNorm(h.add(x), p + "output.LayerNorm");
  }

  private NDArray selfAttention(NDArray x, NDArray mask, String p, boolean training) {
    Shape s = x.getShape();
    long batch = s.get(0);
    long length = s.get(1);
    int heads = config.numHeads();
    int dh = config.headSize();
    // the 1/sqrt(d) scale goes on q (length x hidden values), not on the scores (length x length per head)
    NDArray q = linear(x, p + "query").div(Torch.scalar(x, (float) Math.sqrt(dh))).reshape(batch, length, heads, dh)
        .transpose(0, 2, 1, 3);
    NDArray k = linear(x, p + "key").reshape(batch, length, heads, dh).transpose(0, 2, 3, 1);
    NDArray v = linear(x, p + "value").reshape(batch, length, heads, dh).transpose(0, 2, 1, 3);
    NDArray scores = q.matMul(k);
    if (mask != null) {
      scores = scores.add(mask);
    }
    NDArray probs = dropout(scores.softmax(-1), config.attentionDropout(), training);
    return probs.matMul(v).transpose(0, 2, 1, 3).reshape(batch, length, config.hiddenSize());
  }

  private NDArray embed(NDArray ids, String weight) {
    return ids.getNDArrayInternal().embedding(ids, parameters.get(weight), SparseFormat.DENSE).singletonOrThrow();
  }

  private NDArray linear(NDArray x, String prefix) {
    return x.getNDArrayInternal().linear(x, parameters.get(prefix + ".weight"), parameters.get(prefix + ".bias"))
        .singletonOrThrow();
  }

  private NDArray layerNorm(NDArray x, String prefix) {
    return x.getNDArrayInternal().layerNorm(x, new Shape(config.hiddenSize()), parameters.get(prefix + ".weight"),
        parameters.get(prefix + ".bias"), config.layerNormEps()).singletonOrThrow();
  }

  private static NDArray dropout(NDArray x, float rate, boolean training) {
    if (!training || rate == 0) {
      return x;
    }
    return x.getNDArrayInternal().dropout(x, rate, true).singletonOrThrow();
  }

  /** Pools hidden states {@code [batch, length, hidden]} into {@code [batch, hidden]}, normalizing if asked. */
  public static NDArray pool(NDArray hidden, NDArray attentionMask, Pooling pooling, boolean normalize) {
    NDArray pooled;
    if (pooling == Pooling.CLS) {
      pooled = hidden.get(new NDIndex(":, 0, :"));
    } else {
      NDArray mask = attentionMask.toType(DataType.FLOAT32, false).expandDims(2);
      pooled = hidden.mul(mask).sum(new int[] {1}).div(mask.sum(new int[] {1}).maximum(Torch.scalar(mask, 1e-9f)));
    }
    if (normalize) {
      pooled = pooled.div(pooled.norm(new int[] {1}, true).maximum(Torch.scalar(pooled, 1e-12f)));
    }
    return pooled;
  }

  /** Overwrites every parameter with the tensor of the same name (a checkpoint's weights), in place. */
  public void loadWeights(Map<String, NamedTensor> weights) {
    parameters.forEach((name, a) -> {
      NamedTensor t = weights.get(name);
      if (t == null || t.values().length != a.size()) {
        throw new IllegalArgumentException("weights lack " + name + " or have another shape");
      }
      a.set(t.values());
    });
  }

  /** The weights as Hugging Face-named tensors (copied out of native memory). */
  public List<NamedTensor> exportWeights() {
    List<NamedTensor> out = new ArrayList<>();
    parameters.forEach((name, a) -> out.add(new NamedTensor(name, a.getShape().getShape(), a.toFloatArray())));
    return out;
  }

  /** Convenience for tests and callers holding plain arrays. */
  static NDList inputs(NDManager m, long[][] ids, long[][] mask, long[][] types) {
    return new NDList(m.create(ids), m.create(mask), m.create(types));
  }

  @Override
  public void close() {
    manager.close();
  }
}
