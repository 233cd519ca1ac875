package dev.quarry.model;

import dev.quarry.model.OnnxWriter.Attribute;
import dev.quarry.model.OnnxWriter.Dim;
import dev.quarry.model.OnnxWriter.ElementType;
import java.util.List;
import java.util.Map;

/**
 * A BERT encoder (or a BERT cross-encoder) as a standard ONNX graph (opset 17) built from Hugging Face-named weights:
 * the computation of {@link BertModel} (and of the cross-encoder's sequence-classification head), with the inputs
 * and output names of the bundled encoders' ONNX files: {@code input_ids}, {@code attention_mask},
 * {@code token_type_ids} (int64, {@code [batch, sequence]}) to {@code last_hidden_state} ({@code [batch, sequence,
 * hidden]}), or to {@code logits} ({@code [batch, 1]}) for a cross-encoder. Pooling and normalization stay outside
 * the graph, in the recipe written beside it, as for the bundled files.
 *
 * <p>Every Linear weight is stored transposed ({@code [in, out]}) under {@code onnx::MatMul_<name>} and read by a
 * MatMul whose Add carries the named bias, as PyTorch's exporter writes it, so {@link OnnxBertImporter} reads an fp32
 * graph back. With {@link Precision#INT8} each encoder Linear becomes ONNX Runtime's dynamic quantization pattern:
 * the activation quantized per tensor at run time ({@code DynamicQuantizeLinear}, uint8), the weight per output
 * column, symmetric int8 (scale = max |w| / 127), {@code MatMulInteger}, then the two scales. Embeddings, LayerNorms,
 * attention scores and the classification head stay fp32.
 */
public final class OnnxBertGraph {
  /** ONNX operator set the graphs use (LayerNormalization is an ONNX operator from 17). */
  public static final int OPSET = 17;
  public static final String INPUT_IDS = "input_ids";
  public static final String ATTENTION_MASK = "attention_mask";
  public static final String TOKEN_TYPE_IDS = "token_type_ids";
  public static final String HIDDEN = "last_hidden_state";
  public static final String LOGITS = "logits";

  /** Weight precision of the encoder's Linear layers. */
  public enum Precision { FP32, INT8 }

  private final OnnxWriter g = new OnnxWriter(OPSET);
  private final BertConfig config;
  private final Map<String, NamedTensor> weights;
  private final String prefix;
  private final Precision precision;

  private OnnxBertGraph(BertConfig config, Map<String, NamedTensor> weights, String prefix, Precision precision) {
    this.config = config;
    this.weights = weights;
    this.prefix = prefix;
    this.precision = precision;
  }

  /** An encoder graph; {@code weights} as {@link BertModel#exportWeights} names them (a {@code bert.} prefix is ok). */
  public static byte[] encoder(BertConfig config, Map<String, NamedTensor> weights, Precision precision) {
    String prefix = weights.containsKey("embeddings.word_embeddings.weight") ? "" : "bert.";
    OnnxBertGraph b = new OnnxBertGraph(config, weights, prefix, precision);
    String hidden = b.bert();
    b.g.namedNode("Identity", HIDDEN, List.of(hidden));
    b.g.output(HIDDEN, ElementType.FLOAT, Dim.named("batch"), Dim.named("sequence"), Dim.of(config.hiddenSize()));
    b.g.metadata("quarry.output", HIDDEN);
    return b.g.toBytes("bert");
  }

  /**
   * A cross-encoder graph: BERT, then the pooler (dense + tanh) and the classifier on the [CLS] state, to one logit.
   * Weights as the cross-encoder names them ({@code bert.} backbone, {@code bert.pooler.dense}, {@code classifier}).
   */
  public static byte[] crossEncoder(BertConfig config, Map<String, NamedTensor> weights, Precision precision) {
    OnnxBertGraph b = new OnnxBertGraph(config, weights, "bert.", precision);
    String hidden = b.bert();
    String cls = b.g.node("Gather", List.of(hidden, b.g.int64Scalar(0)), new Attribute.Int("axis", 1));
    String pooled = b.g.node("Tanh", List.of(b.linear(cls, "bert.pooler.dense", Precision.FP32)));
    String logits = b.linear(pooled, "classifier", Precision.FP32);
    b.g.namedNode("Identity", LOGITS, List.of(logits));
    b.g.output(LOGITS, ElementType.FLOAT, Dim.named("batch"), Dim.of(1));
    b.g.metadata("quarry.output", LOGITS);
    return b.g.toBytes("bert-cross-encoder");
  }

  private String bert() {
    String ids = g.input(INPUT_IDS, ElementType.INT64, Dim.named("batch"), Dim.named("sequence"));
    String mask = g.input(ATTENTION_MASK, ElementType.INT64, Dim.named("batch"), Dim.named("sequence"));
    String typeInput = g.input(TOKEN_TYPE_IDS, ElementType.INT64, Dim.named("batch"), Dim.named("sequence"));
    // one token type (RoBERTa): every token reads row 0, as BertModel does
    String types = config.typeVocabSize() == 1 ? g.node("Mul", List.of(typeInput, g.int64Scalar(0))) : typeInput;
    String length = g.node("Gather", List.of(g.node("Shape", List.of(ids)), g.int64Scalar(1)),
        new Attribute.Int("axis", 0));
    String positions = g.node("Range", List.of(g.int64Scalar(0), length, g.int64Scalar(1)));
    String x = g.node("Add", List.of(
        g.node("Add", List.of(gather("embeddings.word_embeddings.weight", ids),
            gather("embeddings.token_type_embeddings.weight", types))),
        gather("embeddings.position_embeddings.weight", positions)));
    x = layerNorm(x, "embeddings.LayerNorm");
    // (1 - mask) * most negative float, [batch, 1, 1, sequence]: BertModel's additive mask
    String m = g.node("Unsqueeze", List.of(g.node("Cast", List.of(mask), new Attribute.Int("to", 1)),
        g.int64s(1, 2)));
    String additive = g.node("Mul", List.of(g.node("Sub", List.of(g.scalar(1f), m)), g.scalar(-Float.MAX_VALUE)));
    for (int l = 0; l < config.numLayers(); l++) {
      x = layer(x, additive, "encoder.layer." + l + ".");
    }
    return x;
  }

  private String layer(String x, String mask, String p) {
    long heads = config.numHeads();
    long dh = config.headSize();
    String split = g.int64s(0, 0, heads, dh);
    String q = g.node("Transpose", List.of(g.node("Reshape", List.of(linear(x, p + "attention.self.query"), split))),
        new Attribute.Ints("perm", new long[] {0, 2, 1, 3}));
    String k = g.node("Transpose", List.of(g.node("Reshape", List.of(linear(x, p + "attention.self.key"), split))),
        new Attribute.Ints("perm", new long[] {0, 2, 3, 1}));
    String v = g.node("Transpose", List.of(g.node("Reshape", List.of(linear(x, p + "attention.self.value"), split))),
        new Attribute.Ints("perm", new long[] {0, 2, 1, 3}));
    String scores = g.node("Div", List.of(g.node("MatMul", List.of(q, k)), g.scalar((float) Math.sqrt(dh))));
    String probs = g.node("Softmax", List.of(g.node("Add", List.of(scores, mask))), new Attribute.Int("axis", -1));
    String context = g.node("Reshape", List.of(
        g.node("Transpose", List.of(g.node("MatMul", List.of(probs, v))),
            new Attribute.Ints("perm", new long[] {0, 2, 1, 3})),
        g.int64s(0, 0, config.hiddenSize())));
    String attention = linear(context, p + "attention.output.dense");
    x = layerNorm(g.node("Add", List.of(attention, x)), p + "attention.output.LayerNorm");
    String h = linear(x, p + "intermediate.dense");
    // exact GELU as transformers writes it: x * 0.5 * (1 + erf(x / sqrt(2)))
    String erf = g.node("Erf", List.of(g.node("Div", List.of(h, g.scalar((float) Math.sqrt(2))))));
    h = g.node("Mul", List.of(g.node("Mul", List.of(h, g.node("Add", List.of(erf, g.scalar(1f))))), g.scalar(0.5f)));
    String out = linear(h, p + "output.dense");
    return layerNorm(g.node("Add", List.of(out, x)), p + "output.LayerNorm");
  }

  private String gather(String weight, String indices) {
    return g.node("Gather", List.of(named(key(weight)), indices));
  }

  private String layerNorm(String x, String name) {
    return g.node("LayerNormalization", List.of(x, named(key(name + ".weight")), named(key(name + ".bias"))),
        new Attribute.Int("axis", -1), new Attribute.Float("epsilon", config.layerNormEps()));
  }

  /** A backbone weight's name in the weights map. */
  private String key(String name) {
    return prefix + name;
  }

  private String linear(String x, String name) {
    return linear(x, key(name), precision);
  }

  /** {@code x W^T + b}, with W stored transposed; int8 as the class comment says. */
  private String linear(String x, String key, Precision p) {
    NamedTensor w = weight(key + ".weight");
    String bias = named(key + ".bias");
    String product;
    if (p == Precision.FP32) {
      String wt = g.initializer("onnx::MatMul_" + key + ".weight", new long[] {w.shape()[1], w.shape()[0]},
          w.transpose2d(key + ".weight").values());
      product = g.node("MatMul", List.of(x, wt));
    } else {
      QuantizedWeight qw = QuantizedWeight.of(w);
      String wq = g.initializer("onnx::MatMulInteger_" + key + ".weight", ElementType.INT8,
          new long[] {qw.in(), qw.out()}, qw.values());
      String wScale = g.initializer(key + ".weight_scale", new long[] {qw.out()}, qw.scales());
      String wZero = g.initializer(key + ".weight_zero_point", ElementType.INT8, new long[] {qw.out()},
          new byte[qw.out()]);
      List<String> xq = g.node("DynamicQuantizeLinear", 3, List.of(x));
      String integer = g.node("MatMulInteger", List.of(xq.get(0), wq, xq.get(2), wZero));
      String scale = g.node("Mul", List.of(xq.get(1), wScale));
      product = g.node("Mul", List.of(g.node("Cast", List.of(integer), new Attribute.Int("to", 1)), scale));
    }
    return g.node("Add", List.of(product, bias));
  }

  private NamedTensor weight(String name) {
    NamedTensor t = weights.get(name);
    if (t == null) {
      throw new IllegalArgumentException("the weights lack " + name);
    }
    return t;
  }

  /** A weight as an initializer under its own name (full key in the weights map). */
  private String named(String key) {
    NamedTensor t = weight(key);
    return g.initializer(key, t.shape(), t.values());
  }

  /** A {@code [out, in]} weight quantized per output row to symmetric int8, stored transposed {@code [in, out]}. */
  record QuantizedWeight(int in, int out, byte[] values, float[] scales) {
    static QuantizedWeight of(NamedTensor w) {
      int out = (int) w.shape()[0];
      int in = (int) w.shape()[1];
      float[] v = w.values();
      float[] scales = new float[out];
      byte[] q = new byte[in * out];
      for (int o = 0; o < out; o++) {
        float max = 0;
        for (int i = 0; i < in; i++) {
          max = Math.max(max, Math.abs(v[o * in + i]));
        }
        float scale = max == 0 ? 1f : max / 127f;
        scales[o] = scale;
        for (int i = 0; i < in; i++) {
          q[i * out + o] = (byte) Math.max(-127, Math.min(127, Math.round(v[o * in + i] / scale)));
        }
      }
      return new QuantizedWeight(in, out, q, scales);
    }
  }
}
