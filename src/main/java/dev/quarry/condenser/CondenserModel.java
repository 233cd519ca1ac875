package dev.quarry.condenser;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.quarry.model.BertConfig;
import dev.quarry.model.BertLayers;
import dev.quarry.model.BertModel;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.ModelDirectory;
import dev.quarry.model.ModelExport;
import dev.quarry.model.NamedTensor;
import dev.quarry.model.Pooling;
import dev.quarry.model.Safetensors;
import dev.quarry.model.Torch;
import dev.quarry.model.TrainableWeights;
import dev.quarry.random.SplitMix64;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Condenser: a BERT backbone whose layers are split into early and late, plus a head of transformer layers that sees
 * the late passage vector together with the early layers' token states and predicts the masked pieces. Because the
 * early token states skip the late layers, the head can only do well if the passage vector carries the passage: that
 * is what pre-training teaches the backbone. The head is discarded afterwards; {@link #export} writes the backbone.
 *
 * <p>The passage vector. The paper feeds the late [CLS] state to the head because its retrievers use [CLS]. With a
 * mean-pooling recipe (MiniLM) Quarry feeds the late mean-pooled state instead, and the contrastive loss reads the
 * recipe's embedding (pooled, then normalized if the recipe normalizes), so pre-training shapes the vector the
 * retriever uses. With a CLS recipe this is exactly the paper's model.
 *
 * <p>The MLM prediction layer ({@code cls.predictions.*}: a dense transform, GELU, LayerNorm, a decoder tied to the
 * word embeddings, and a bias) serves both the backbone's and the head's predictions, as in the reference code. It
 * is taken from the model's weights when they have it (a BERT MLM checkpoint) and initialized fresh otherwise (the
 * bundled sentence encoders have none), as are the head's layers: normal(0, 0.02) weights, zero biases, unit
 * LayerNorms (BERT's initialization).
 */
public final class CondenserModel implements TrainableWeights, AutoCloseable {
  /** Prefix of the head's layers. */
  public static final String HEAD_PREFIX = "c_head.";
  /** Prefix of the MLM prediction layer (Hugging Face's {@code BertForMaskedLM} names). */
  public static final String MLM_PREFIX = "cls.predictions.";

  private final NDManager manager;
  private final BertModel backbone;
  private final Map<String, NDArray> head;
  private final Map<String, NDArray> parameters;
  private final CondenserConfig config;
  private final EncoderRecipe recipe;

  private CondenserModel(NDManager manager, BertModel backbone, Map<String, NDArray> head, CondenserConfig config,
      EncoderRecipe recipe) {
    this.manager = manager;
    this.backbone = backbone;
    this.head = head;
    this.config = config;
    this.recipe = recipe;
    Map<String, NDArray> all = new LinkedHashMap<>(backbone.parameters());
    all.putAll(head);
    this.parameters = Collections.unmodifiableMap(all);
  }

  /**
   * Loads the backbone of a model directory and builds the head.
   *
   * @param seed initializes what the weights lack
   */
  public static CondenserModel load(Path modelDir, EncoderRecipe recipe, CondenserConfig config, long seed) {
    BertConfig bert = ModelDirectory.config(modelDir);
    if (config.earlyLayers() >= bert.numLayers()) {
      throw new IllegalArgumentException("condenser.early_layers " + config.earlyLayers() + " leaves no late layer: "
          + modelDir + " has " + bert.numLayers() + " layers");
    }
    Map<String, NamedTensor> weights = Safetensors.read(modelDir.resolve(ModelDirectory.WEIGHTS));
    Torch.configureThreads();
    NDManager manager = NDManager.newBaseManager();
    try {
      BertModel backbone = BertModel.of(bert, weights, manager);
      SplitMix64 random = new SplitMix64(seed);
      Map<String, NDArray> head = new LinkedHashMap<>();
      for (String name : headParameterNames(bert, config)) {
        NamedTensor given = weights.get(name);
        long[] shape = shape(bert, name);
        float[] values = given != null ? given.values() : initial(name, shape, random);
        NDArray a = manager.create(values, new Shape(shape));
        a.setName(name);
        head.put(name, a);
      }
      return new CondenserModel(manager, backbone, head, config, recipe);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** The head's and the MLM layer's parameter names. */
  static List<String> headParameterNames(BertConfig bert, CondenserConfig config) {
    List<String> names = new ArrayList<>();
    for (int l = 0; l < config.headLayers(); l++) {
      names.addAll(BertLayers.parameterNames(HEAD_PREFIX + l + "."));
    }
    names.addAll(List.of(MLM_PREFIX + "transform.dense.weight", MLM_PREFIX + "transform.dense.bias",
        MLM_PREFIX + "transform.LayerNorm.weight", MLM_PREFIX + "transform.LayerNorm.bias", MLM_PREFIX + "bias"));
    return names;
  }

  private static long[] shape(BertConfig c, String name) {
    return name.equals(MLM_PREFIX + "bias") ? new long[] {c.vocabSize()} : c.parameterShape(name);
  }

  private static float[] initial(String name, long[] shape, SplitMix64 random) {
    int n = 1;
    for (long d : shape) {
      n *= (int) d;
    }
    float[] v = new float[n];
    if (name.contains("LayerNorm.weight")) {
      java.util.Arrays.fill(v, 1f);
    } else if (name.endsWith(".weight")) {
      for (int i = 0; i < n; i += 2) {   // Box-Muller, two normals per pair of uniforms
        double u1 = Math.max(random.nextDouble(), 1e-300);
        double u2 = random.nextDouble();
        double r = Math.sqrt(-2 * Math.log(u1)) * 0.02;
        v[i] = (float) (r * Math.cos(2 * Math.PI * u2));
        if (i + 1 < n) {
          v[i + 1] = (float) (r * Math.sin(2 * Math.PI * u2));
        }
      }
    }
    return v;
  }

  /** What a forward pass over masked spans gives. */
  public record Output(NDArray embedding, NDArray mlmBackboneSum, NDArray mlmHeadSum) {
  }

  /** The spans' embeddings (the recipe's pooling of the late states): gradient caching's first pass. */
  public NDArray embed(NDManager m, MaskedSpans spans, boolean training) {
    Padded p = Padded.of(m, spans);
    NDArray late = backbone.forward(p.ids, p.mask, p.types, training);
    return BertModel.pool(late, p.mask, recipe.pooling(), recipe.normalize());
  }

  /**
   * The spans' embeddings and the sums (not means) of the MLM cross-entropy over the masked pieces, of the backbone's
   * late states and of the head's output.
   */
  public Output forward(NDManager m, MaskedSpans spans, boolean training) {
    Padded p = Padded.of(m, spans);
    NDList states = backbone.forwardSplit(p.ids, p.mask, p.types, training, config.earlyLayers());
    NDArray early = states.get(0);
    NDArray late = states.get(1);
    NDArray embedding = BertModel.pool(late, p.mask, recipe.pooling(), recipe.normalize());
    NDArray vector = recipe.pooling() == Pooling.CLS ? late.get(new NDIndex(":, 0, :"))
        : BertModel.pool(late, p.mask, Pooling.MEAN, false);
    NDArray h = NDArrays.concat(new NDList(vector.expandDims(1), early.get(new NDIndex(":, 1:, :"))), 1);
    NDArray mask = BertLayers.additiveMask(p.mask);
    for (int l = 0; l < config.headLayers(); l++) {
      h = BertLayers.layer(head, backbone.config(), h, mask, HEAD_PREFIX + l + ".", training);
    }
    return new Output(embedding, mlmSum(late, p), mlmSum(h, p));
  }

  private NDArray mlmSum(NDArray states, Padded p) {
    NDArray flat = states.reshape(-1, backbone.config().hiddenSize());
    NDArray picked = flat.get(new NDIndex("{}", p.maskedRows));
    NDArray t = BertLayers.linear(head, picked, MLM_PREFIX + "transform.dense");
    t = BertLayers.layerNorm(head, backbone.config(), BertLayers.gelu(t), MLM_PREFIX + "transform.LayerNorm");
    NDArray logits = t.matMul(backbone.wordEmbeddings().transpose()).add(head.get(MLM_PREFIX + "bias"));
    return logits.logSoftmax(1).gather(p.maskedLabels.expandDims(1), 1).sum().neg();
  }

  /** Padded model inputs of a batch of spans, with the flat rows and labels of its masked pieces. */
  private record Padded(NDArray ids, NDArray mask, NDArray types, NDArray maskedRows, NDArray maskedLabels) {
    static Padded of(NDManager m, MaskedSpans spans) {
      int batch = spans.inputIds().size();
      int length = spans.inputIds().stream().mapToInt(a -> a.length).max().orElse(0);
      long[][] ids = new long[batch][length];
      long[][] mask = new long[batch][length];
      List<Long> rows = new ArrayList<>();
      List<Long> labels = new ArrayList<>();
      for (int b = 0; b < batch; b++) {
        long[] row = spans.inputIds().get(b);
        long[] label = spans.labels().get(b);
        System.arraycopy(row, 0, ids[b], 0, row.length);
        java.util.Arrays.fill(mask[b], 0, row.length, 1L);
        for (int t = 0; t < label.length; t++) {
          if (label[t] != MaskedSpans.IGNORED) {
            rows.add((long) b * length + t);
            labels.add(label[t]);
          }
        }
      }
      NDArray maskNd = m.create(mask);
      return new Padded(m.create(ids), maskNd, m.zeros(maskNd.getShape(), DataType.INT64),
          m.create(rows.stream().mapToLong(Long::longValue).toArray()),
          m.create(labels.stream().mapToLong(Long::longValue).toArray()));
    }
  }

  /** Makes every parameter, backbone and head, record gradients. */
  public void setTrainable(boolean trainable) {
    parameters.values().forEach(a -> a.setRequiresGradient(trainable));
  }

  public BertModel backbone() {
    return backbone;
  }

  @Override
  public Map<String, NDArray> parameters() {
    return parameters;
  }

  @Override
  public List<NamedTensor> exportWeights() {
    List<NamedTensor> out = new ArrayList<>(backbone.exportWeights());
    head.forEach((name, a) -> out.add(new NamedTensor(name, a.getShape().getShape(), a.toFloatArray())));
    return out;
  }

  @Override
  public void loadWeights(Map<String, NamedTensor> weights) {
    backbone.loadWeights(weights);
    head.forEach((name, a) -> {
      NamedTensor t = weights.get(name);
      if (t == null || t.values().length != a.size()) {
        throw new IllegalArgumentException("weights lack " + name + " or have another shape");
      }
      a.set(t.values());
    });
  }

  /** Writes the backbone alone as a model directory (the head is discarded, as in the paper). */
  public void export(EncoderRecipe exportRecipe, Path tokenizerJson, Path target) {
    ModelExport.write(backbone, exportRecipe, tokenizerJson, target);
  }

  @Override
  public void close() {
    manager.close();
  }
}
