package dev.quarry.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.quarry.io.JsonLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A BERT backbone with task heads (a cross-encoder's classifier, a reader's span and selection layers), in one native
 * manager, under Hugging Face's names: the backbone's parameters with a {@code bert.} prefix, the heads' as given.
 * It is what a trainer needs of such a model ({@link TrainableWeights}); the model classes add their forward pass.
 */
public final class BertWithHeads implements TrainableWeights, AutoCloseable {
  private final NDManager manager;
  private final BertModel bert;
  private final Map<String, NDArray> heads;
  private OnnxBertSession onnx;

  private BertWithHeads(NDManager manager, BertModel bert, Map<String, NDArray> heads) {
    this.manager = manager;
    this.bert = bert;
    this.heads = heads;
  }

  /**
   * Builds the backbone from {@code weights} ({@code bert.} prefix or none) and each head parameter named in
   * {@code headShapes} with exactly that shape; {@code model} names the model in errors.
   */
  public static BertWithHeads of(BertConfig config, Map<String, NamedTensor> weights, Map<String, long[]> headShapes,
      String model) {
    Torch.configureThreads();
    NDManager manager = NDManager.newBaseManager();
    try {
      BertModel bert = BertModel.of(config, weights, manager);
      Map<String, NDArray> heads = new LinkedHashMap<>();
      headShapes.forEach((name, shape) -> {
        NamedTensor t = weights.get(name);
        if (t == null || !Arrays.equals(t.shape(), shape)) {
          throw new IllegalArgumentException(model + " weights lack " + name + " of shape " + Arrays.toString(shape)
              + (t == null ? "" : "; found " + Arrays.toString(t.shape())));
        }
        NDArray a = manager.create(t.values(), new Shape(t.shape()));
        a.setName(name);
        heads.put(name, a);
      });
      return new BertWithHeads(manager, bert, heads);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** A new head parameter as {@code transformers} initializes a linear layer: N(0, 0.02) weights (seeded). */
  public static NamedTensor normal(String name, long[] shape, Random random) {
    int n = Math.toIntExact(Arrays.stream(shape).reduce(1, (x, y) -> x * y));
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextGaussian() * 0.02);
    }
    return new NamedTensor(name, shape, v);
  }

  /** A new bias: zeros. */
  public static NamedTensor zeros(String name, long[] shape) {
    return new NamedTensor(name, shape, new float[Math.toIntExact(Arrays.stream(shape).reduce(1, (x, y) -> x * y))]);
  }

  /** Whether {@code dir} has a {@value ModelDirectory#RECIPE} whose {@code format} is {@code format}. */
  public static boolean hasFormat(Path dir, String format) {
    Path file = dir.resolve(ModelDirectory.RECIPE);
    if (!Files.exists(file)) {
      return false;
    }
    try {
      return format.equals(JsonLines.MAPPER.readTree(file.toFile()).path("format").asText());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  public BertModel bert() {
    return bert;
  }

  /** A head parameter (a live array). */
  public NDArray head(String name) {
    NDArray a = heads.get(name);
    if (a == null) {
      throw new IllegalArgumentException("no head parameter " + name + "; the heads are " + heads.keySet());
    }
    return a;
  }

  /** The manager the parameters live in; forward passes make sub-managers of it. */
  public NDManager manager() {
    return manager;
  }

  /**
   * Runs inference on {@code engine} from now on, with the weights as they are now: with an ONNX engine, a session on
   * the graph {@code graph} builds from {@link #exportWeights} at that precision; with libtorch, none. Trainers call
   * it before a dev pass and with libtorch after, so a dev pass runs on the fast engine and never on stale weights.
   *
   * @param model names the model in ONNX Runtime's errors
   */
  public void runOn(InferenceEngine engine,
      java.util.function.BiFunction<Map<String, NamedTensor>, OnnxBertGraph.Precision, byte[]> graph, String model) {
    if (onnx != null) {
      onnx.close();
      onnx = null;
    }
    if (engine.onnx()) {
      onnx = OnnxBertSession.open(graph.apply(NamedTensor.byName(exportWeights()), engine.precision()),
          Torch.threads(), model);
    }
  }

  /** The ONNX Runtime session inference runs on, or null when it runs on libtorch ({@link #runOn}). */
  public OnnxBertSession onnx() {
    return onnx;
  }

  /** Every parameter by its Hugging Face name (live arrays): the backbone's first. */
  @Override
  public Map<String, NDArray> parameters() {
    Map<String, NDArray> all = new LinkedHashMap<>();
    bert.parameters().forEach((name, a) -> all.put("bert." + name, a));
    all.putAll(heads);
    return all;
  }

  public void setTrainable(boolean trainable) {
    bert.setTrainable(trainable);
    heads.values().forEach(a -> a.setRequiresGradient(trainable));
  }

  @Override
  public List<NamedTensor> exportWeights() {
    List<NamedTensor> out = new ArrayList<>();
    parameters().forEach((name, a) -> out.add(new NamedTensor(name, a.getShape().getShape(), a.toFloatArray())));
    return out;
  }

  @Override
  public void loadWeights(Map<String, NamedTensor> weights) {
    parameters().forEach((name, a) -> {
      NamedTensor t = weights.get(name);
      if (t == null || t.values().length != a.size()) {
        throw new IllegalArgumentException("weights lack " + name + " or have another shape");
      }
      a.set(t.values());
    });
  }

  @Override
  public void close() {
    if (onnx != null) {
      onnx.close();
    }
    bert.close();
    manager.close();
  }
}
