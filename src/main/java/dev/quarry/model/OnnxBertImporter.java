package dev.quarry.model;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the initializers of a BERT ONNX export into Hugging Face-named weights. Embedding, bias and LayerNorm
 * tensors keep their names in such exports, but every Linear weight is an anonymous {@code onnx::MatMul_N} of shape
 * {@code [in, out]}. Each is named by following the graph: the MatMul that reads it writes a tensor that an Add reads
 * together with a named bias {@code X.bias}, so the weight is {@code X.weight}, transposed to PyTorch's
 * {@code [out, in]}. Order in the file is never used.
 */
public final class OnnxBertImporter {
  private static final Pattern LAYER = Pattern.compile("encoder\\.layer\\.(\\d+)\\..*");

  private OnnxBertImporter() {
  }

  /** Hugging Face BERT weights from the graph; fails if a Linear weight cannot be traced to its bias. */
  public static Map<String, NamedTensor> weights(OnnxGraph graph, String source) {
    Map<String, NamedTensor> inits = graph.initializers();
    Map<String, OnnxGraph.Node> consumerAdd = new HashMap<>();
    for (OnnxGraph.Node n : graph.nodes()) {
      if (n.opType().equals("Add")) {
        for (String in : n.inputs()) {
          consumerAdd.put(in, n);
        }
      }
    }
    Map<String, NamedTensor> out = new LinkedHashMap<>();
    for (NamedTensor t : inits.values()) {
      if (!t.name().startsWith("onnx::") && !t.name().startsWith("/")) {
        out.put(t.name(), t);
      }
    }
    for (OnnxGraph.Node n : graph.nodes()) {
      if (!n.opType().equals("MatMul") || n.inputs().size() != 2 || !inits.containsKey(n.inputs().get(1))) {
        continue;
      }
      NamedTensor w = inits.get(n.inputs().get(1));
      OnnxGraph.Node add = consumerAdd.get(n.outputs().get(0));
      String bias = add == null ? null : add.inputs().stream()
          .filter(i -> !i.equals(n.outputs().get(0)) && i.endsWith(".bias") && inits.containsKey(i))
          .findFirst().orElse(null);
      if (bias == null) {
        throw new IllegalArgumentException(source + ": MatMul " + n.name() + " on " + w.name()
            + " is not followed by an Add with a named bias; cannot name its weight");
      }
      String name = bias.substring(0, bias.length() - ".bias".length()) + ".weight";
      if (out.containsKey(name)) {
        throw new IllegalArgumentException(source + ": two MatMul weights trace to " + name);
      }
      out.put(name, w.transpose2d(name));
    }
    return out;
  }

  /** The BERT shape implied by the weights; heads are not in the weights and must be given. */
  public static BertConfig config(Map<String, NamedTensor> weights, int numHeads, String source) {
    NamedTensor words = require(weights, "embeddings.word_embeddings.weight", source);
    NamedTensor positions = require(weights, "embeddings.position_embeddings.weight", source);
    NamedTensor types = require(weights, "embeddings.token_type_embeddings.weight", source);
    NamedTensor inter = require(weights, "encoder.layer.0.intermediate.dense.bias", source);
    int layers = 0;
    for (String name : weights.keySet()) {
      Matcher m = LAYER.matcher(name);
      if (m.matches()) {
        layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
      }
    }
    return new BertConfig((int) words.shape()[0], (int) words.shape()[1], layers, numHeads, (int) inter.shape()[0],
        (int) positions.shape()[0], (int) types.shape()[0], 1e-12f, 0.1f, 0.1f);
  }

  private static NamedTensor require(Map<String, NamedTensor> weights, String name, String source) {
    NamedTensor t = weights.get(name);
    if (t == null) {
      throw new IllegalArgumentException(source + ": no tensor " + name + "; is this a BERT model?");
    }
    return t;
  }
}
