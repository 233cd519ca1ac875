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
      names.addAll(BertLayers.parameterNames("encoder.layer." + l + "."));
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
    return forwardSplit(inputIds, attentionMask, tokenTypeIds, training, config.numLayers()).get(1);
  }

  /**
   * The hidden states after the first {@code split} layers and after the last, {@code [batch, length, hidden]}
   * each (Condenser's early and late states); {@code split} in {@code [0, numLayers]}, 0 giving the embeddings.
   */
  public NDList forwardSplit(NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds, boolean training,
      int split) {
    if (split < 0 || split > config.numLayers()) {
      throw new IllegalArgumentException("split " + split + " outside [0, " + config.numLayers() + "]");
    }
    long length = inputIds.getShape().get(1);
    if (length > config.maxPositions()) {
      throw new IllegalArgumentException("sequence of " + length + " tokens exceeds the model's "
          + config.maxPositions() + " positions");
    }
    NDManager m = inputIds.getManager();
    NDArray positions = m.arange(0, (int) length, 1, DataType.INT64).expandDims(0);
    // one token type (RoBERTa): every token reads row 0, whatever type a pair's tokenizer gave it
    NDArray types = config.typeVocabSize() == 1 ? tokenTypeIds.zerosLike() : tokenTypeIds;
    NDArray x = embed(inputIds, "embeddings.word_embeddings.weight")
        .add(embed(types, "embeddings.token_type_embeddings.weight"))
        .add(embed(positions, "embeddings.position_embeddings.weight"));
    x = BertLayers.layerNorm(parameters, config, x, "embeddings.LayerNorm");
    x = BertLayers.dropout(x, config.hiddenDropout(), training);
    NDArray mask = BertLayers.additiveMask(attentionMask);
    NDArray early = split == 0 ? x : null;
    for (int l = 0; l < config.numLayers(); l++) {
      // each layer's activations live in their own scope, freed when the layer is done (autograd keeps what backward
      // needs by reference), so peak memory is one layer's, not all of them: 12 layers of 32x12x512x512 attention
      // scores would otherwise stay alive until the caller's batch manager closes
      try (NDManager scope = m.newSubManager()) {
        if (x != early) {   // the early states must outlive the layer that reads them
          x.attach(scope);
        }
        NDArray out = BertLayers.layer(parameters, config, x, mask, "encoder.layer." + l + ".", training);
        out.attach(m);
        x = out;
      }
      if (l + 1 == split) {
        early = x;
      }
    }
    return new NDList(early, x);
  }

  /** The word embedding matrix {@code [vocab, hidden]} (tied to a masked-language-model decoder). */
  public NDArray wordEmbeddings() {
    return parameters.get("embeddings.word_embeddings.weight");
  }

  private NDArray embed(NDArray ids, String weight) {
    return ids.getNDArrayInternal().embedding(ids, parameters.get(weight), SparseFormat.DENSE).singletonOrThrow();
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
