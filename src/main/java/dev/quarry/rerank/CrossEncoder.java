package dev.quarry.rerank;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.JsonLines;
import dev.quarry.model.BertConfig;
import dev.quarry.model.BertLayers;
import dev.quarry.model.BertModel;
import dev.quarry.model.BertWithHeads;
import dev.quarry.model.InferenceEngine;
import dev.quarry.model.ModelDirectory;
import dev.quarry.model.ModelExport;
import dev.quarry.model.OnnxBertGraph;
import dev.quarry.model.NamedTensor;
import dev.quarry.model.Safetensors;
import dev.quarry.model.Torch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A BERT cross-encoder (reranker): {@code [CLS] query [SEP] passage [SEP]} through BERT, then Hugging Face's
 * sequence-classification head on the [CLS] state (pooler: dense + tanh; dropout; a linear layer to one logit). It
 * is {@code BertForSequenceClassification} with {@code num_labels = 1}, so {@link #save} writes a directory that
 * {@code transformers} loads as such; the relevance probability is the logit through its {@link Calibration} (fitted
 * on dev by the trainer and kept in {@code quarry.json}; the plain sigmoid without one).
 *
 * <p>Started from an encoder directory ({@link #fromEncoder}), the backbone takes the encoder's weights and the head
 * is new: weights drawn from N(0, 0.02) with a seed, biases zero, as {@code transformers} initializes it.
 */
public final class CrossEncoder implements AutoCloseable {
  static final String FORMAT = "quarry-cross-encoder/1";
  private final BertWithHeads model;
  private final BertModel bert;
  private final HuggingFaceTokenizer tokenizer;
  private final Path tokenizerFile;
  private final int maxLength;
  private Calibration calibration = Calibration.IDENTITY;

  private CrossEncoder(BertWithHeads model, Path tokenizerFile, int maxLength) {
    this.model = model;
    this.bert = model.bert();
    this.tokenizerFile = tokenizerFile;
    this.maxLength = maxLength;
    try {
      this.tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerFile).optMaxLength(maxLength)
          .optTruncateSecondOnly().optPadding(false).optAddSpecialTokens(true).build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the tokenizer " + tokenizerFile, e);
    }
  }

  /** Whether {@code dir} holds a cross-encoder written by {@link #save}. */
  public static boolean isCrossEncoder(Path dir) {
    return BertWithHeads.hasFormat(dir, FORMAT);
  }

  /** A new cross-encoder on an encoder directory's backbone, with a seeded new head; pairs cut to {@code maxLength}. */
  public static CrossEncoder fromEncoder(Path encoderDir, int maxLength, long seed) {
    BertConfig config = ModelDirectory.config(encoderDir);
    Map<String, NamedTensor> weights = new LinkedHashMap<>(
        Safetensors.read(encoderDir.resolve(ModelDirectory.WEIGHTS)));
    Random random = new Random(seed);
    int h = config.hiddenSize();
    Map<String, long[]> shapes = headShapes(h);
    weights.put("bert.pooler.dense.weight", BertWithHeads.normal("bert.pooler.dense.weight",
        shapes.get("bert.pooler.dense.weight"), random));
    weights.put("bert.pooler.dense.bias", BertWithHeads.zeros("bert.pooler.dense.bias", shapes.get("bert.pooler.dense.bias")));
    weights.put("classifier.weight", BertWithHeads.normal("classifier.weight", shapes.get("classifier.weight"), random));
    weights.put("classifier.bias", BertWithHeads.zeros("classifier.bias", shapes.get("classifier.bias")));
    return build(config, weights, encoderDir.resolve(ModelDirectory.TOKENIZER), maxLength);
  }

  /** Loads a directory written by {@link #save} (or any BERT sequence-classification directory with one label). */
  public static CrossEncoder load(Path dir) {
    int maxLength = 512;
    Calibration calibration = Calibration.IDENTITY;
    Path recipe = dir.resolve(ModelDirectory.RECIPE);
    if (Files.exists(recipe)) {
      try {
        JsonNode r = JsonLines.MAPPER.readTree(recipe.toFile());
        maxLength = r.path("max_length").asInt(512);
        calibration = Calibration.fromJson(r.get("calibration"));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + recipe, e);
      }
    }
    CrossEncoder ce = build(ModelDirectory.config(dir), Safetensors.read(dir.resolve(ModelDirectory.WEIGHTS)),
        dir.resolve(ModelDirectory.TOKENIZER), maxLength);
    ce.calibrate(calibration);
    return ce;
  }

  /**
   * Loads a directory for inference on {@code engine}: with an ONNX engine, {@link #score} runs ONNX Runtime on a
   * graph built from these weights ({@link OnnxBertGraph#crossEncoder}); training never uses it.
   */
  public static CrossEncoder load(Path dir, InferenceEngine engine) {
    CrossEncoder ce = load(dir);
    try {
      ce.runOn(engine);
    } catch (RuntimeException e) {
      ce.close();
      throw e;
    }
    return ce;
  }

  /**
   * Scores on {@code engine} from now on, with the weights as they are now: the trainer calls it before a dev pass and
   * {@code runOn(LIBTORCH)} after, so a dev pass runs on the fast engine and never on stale weights.
   */
  public void runOn(InferenceEngine engine) {
    model.runOn(engine, (weights, precision) -> OnnxBertGraph.crossEncoder(bert.config(), weights, precision),
        "cross-encoder");
  }

  /** How logits become probabilities; {@link Calibration#IDENTITY} until {@link #calibrate} or a saved one. */
  public Calibration calibration() {
    return calibration;
  }

  /** Sets the calibration {@link #probability} applies and {@link #save} keeps. */
  public void calibrate(Calibration calibration) {
    this.calibration = Objects.requireNonNull(calibration, "calibration");
  }

  /** The relevance probability of a pair with this logit. */
  public double probability(float logit) {
    return calibration.probability(logit);
  }

  private static CrossEncoder build(BertConfig config, Map<String, NamedTensor> weights, Path tokenizer,
      int maxLength) {
    if (maxLength < 3 || maxLength > config.maxPositions()) {
      throw new IllegalArgumentException("cross-encoder max length must be between 3 and the model's "
          + config.maxPositions() + " positions; max length=" + maxLength);
    }
    NamedTensor classifier = weights.get("classifier.weight");
    if (classifier != null && classifier.shape().length == 2 && classifier.shape()[0] != 1) {
      throw new IllegalArgumentException("the classifier has " + classifier.shape()[0]
          + " labels; a cross-encoder scores with one");
    }
    return new CrossEncoder(BertWithHeads.of(config, weights, headShapes(config.hiddenSize()), "cross-encoder"),
        tokenizer, maxLength);
  }

  /** The head: Hugging Face's pooler and a one-label classifier. */
  private static Map<String, long[]> headShapes(int h) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    shapes.put("bert.pooler.dense.weight", new long[] {h, h});
    shapes.put("bert.pooler.dense.bias", new long[] {h});
    shapes.put("classifier.weight", new long[] {1, h});
    shapes.put("classifier.bias", new long[] {1});
    return shapes;
  }

  /** Token ids and segment ids of query-passage pairs. */
  public record Pairs(List<long[]> ids, List<long[]> types) {
    public Pairs {
      if (ids.size() != types.size()) {
        throw new IllegalArgumentException(ids.size() + " id rows but " + types.size() + " type rows");
      }
    }

    public int size() {
      return ids.size();
    }

    /** The pairs at the given rows. */
    public Pairs select(int from, int to) {
      return new Pairs(ids.subList(from, to), types.subList(from, to));
    }
  }

  /** Tokenizes {@code queries[i]} with {@code passages[i]}; only the passage is cut to fit the maximum length. */
  public Pairs tokenize(List<String> queries, List<String> passages) {
    if (queries.size() != passages.size()) {
      throw new IllegalArgumentException(queries.size() + " queries but " + passages.size() + " passages");
    }
    List<long[]> ids = new ArrayList<>(queries.size());
    List<long[]> types = new ArrayList<>(queries.size());
    for (int i = 0; i < queries.size(); i++) {
      Encoding e = tokenizer.encode(queries.get(i), passages.get(i));
      ids.add(e.getIds());
      types.add(e.getTypeIds());
    }
    return new Pairs(ids, types);
  }

  /** The logits {@code [pairs]} of padded pairs, with a graph when the parameters are trainable. */
  public NDArray logits(NDManager m, Pairs pairs, boolean training) {
    int length = pairs.ids().stream().mapToInt(a -> a.length).max().orElse(0);
    long[][] ids = new long[pairs.size()][length];
    long[][] types = new long[pairs.size()][length];
    long[][] mask = new long[pairs.size()][length];
    for (int b = 0; b < pairs.size(); b++) {
      long[] row = pairs.ids().get(b);
      System.arraycopy(row, 0, ids[b], 0, row.length);
      System.arraycopy(pairs.types().get(b), 0, types[b], 0, row.length);
      Arrays.fill(mask[b], 0, row.length, 1L);
    }
    NDArray hidden = bert.forward(m.create(ids), m.create(mask), m.create(types), training);
    NDArray cls = hidden.get(new NDIndex(":, 0, :"));
    NDArray pooled = cls.getNDArrayInternal().linear(cls, model.head("bert.pooler.dense.weight"),
        model.head("bert.pooler.dense.bias")).singletonOrThrow().tanh();
    pooled = BertLayers.dropout(pooled, bert.config().hiddenDropout(), training);
    return pooled.getNDArrayInternal().linear(pooled, model.head("classifier.weight"), model.head("classifier.bias"))
        .singletonOrThrow().reshape(pairs.size());
  }

  /**
   * Relevance logits of {@code queries[i]} with {@code passages[i]}, batched by length, without gradients; every
   * batch runs in its own manager.
   */
  public float[] score(List<String> queries, List<String> passages, int batchSize) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be positive; batchSize=" + batchSize);
    }
    Pairs pairs = tokenize(queries, passages);
    Integer[] order = IntStream.range(0, pairs.size()).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> pairs.ids().get(i).length).reversed());
    float[] out = new float[pairs.size()];
    for (int start = 0; start < order.length; start += batchSize) {
      int end = Math.min(order.length, start + batchSize);
      List<long[]> ids = new ArrayList<>();
      List<long[]> types = new ArrayList<>();
      for (int i = start; i < end; i++) {
        ids.add(pairs.ids().get(order[i]));
        types.add(pairs.types().get(order[i]));
      }
      float[] batch = model.onnx() != null ? model.onnx().run(ids, types) : Torch.withoutGrad(() -> {
        try (NDManager m = model.manager().newSubManager()) {
          return logits(m, new Pairs(ids, types), false).toFloatArray();
        }
      });
      for (int i = start; i < end; i++) {
        out[order[i]] = batch[i - start];
      }
    }
    return out;
  }

  /**
   * This cross-encoder as a {@link PairJudge}: title + " " + text of each passage, {@code batchSize} pairs a forward
   * pass, probabilities through its {@link #calibration}.
   */
  public PairJudge judge(int batchSize) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be positive; batchSize=" + batchSize);
    }
    return new PairJudge() {
      @Override
      public float[] score(Query query, List<Passage> passages) {
        return CrossEncoder.this.score(passages.stream().map(p -> query.text()).toList(),
            passages.stream().map(Passage::titleAndText).toList(), batchSize);
      }

      @Override
      public double probability(float score) {
        return CrossEncoder.this.probability(score);
      }
    };
  }

  /** The trainable weights, under Hugging Face's names (the backbone's with a {@code bert.} prefix). */
  public BertWithHeads weights() {
    return model;
  }

  public int maxLength() {
    return maxLength;
  }

  /**
   * Writes a Hugging Face {@code BertForSequenceClassification} directory ({@code config.json} with one label,
   * {@code model.safetensors}, {@code tokenizer.json}) plus {@code quarry.json}; built beside the target and renamed.
   */
  public void save(Path target) {
    ModelExport.atomically(target, temp -> {
      Safetensors.write(temp.resolve(ModelDirectory.WEIGHTS), model.exportWeights(), Map.of("format", "pt"));
      writeDescription(temp);
    });
  }

  /**
   * Writes this cross-encoder as ONNX: {@value ModelExport#ONNX_FILE} ({@link OnnxBertGraph#crossEncoder}: the three
   * token inputs to {@code logits [batch, 1]}) with the same {@code config.json}, {@code tokenizer.json} and
   * {@code quarry.json} (maximum length, calibration) as {@link #save}; built beside the target and renamed.
   */
  public void saveOnnx(Path target, OnnxBertGraph.Precision precision) {
    ModelExport.atomically(target, temp -> {
      Files.write(temp.resolve(ModelExport.ONNX_FILE), OnnxBertGraph.crossEncoder(bert.config(),
          NamedTensor.byName(model.exportWeights()), precision));
      writeDescription(temp);
    });
  }

  /** Everything of a saved cross-encoder but its weights. */
  private void writeDescription(Path dir) throws IOException {
    Files.copy(tokenizerFile, dir.resolve(ModelDirectory.TOKENIZER));
    ObjectNode config = bert.config().toJson();
    config.putArray("architectures").add("BertForSequenceClassification");
    config.putObject("id2label").put("0", "LABEL_0");
    config.putObject("label2id").put("LABEL_0", 0);
    config.put("num_labels", 1);
    AtomicOutput.writeString(dir.resolve(ModelDirectory.CONFIG), config.toPrettyString() + "\n");
    ObjectNode recipe = JsonLines.MAPPER.createObjectNode();
    recipe.put("format", FORMAT);
    recipe.put("max_length", maxLength);
    if (calibration.pairs() > 0) {
      recipe.set("calibration", calibration.toJson());
    }
    AtomicOutput.writeString(dir.resolve(ModelDirectory.RECIPE), recipe.toPrettyString() + "\n");
  }

  @Override
  public void close() {
    tokenizer.close();
    model.close();
  }

}
