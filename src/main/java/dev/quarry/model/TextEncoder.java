package dev.quarry.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.quarry.util.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Turns texts into embeddings with a model directory's BERT, tokenizer and recipe. Texts are tokenized, sorted by
 * length and batched so that little compute goes to padding; every batch runs in its own NDManager, so no native
 * memory outlives it; results come back in input order.
 *
 * <p>A dual encoder has a query tower and a passage tower: one BERT for both (shared towers, the usual case) or two
 * (a {@link ModelDirectory#isDualEncoder dual-encoder directory}, or {@link Towers#SEPARATE} to start two towers from
 * one model's weights for training).
 */
public final class TextEncoder implements AutoCloseable {
  private final NDManager manager;
  private final BertModel queryModel;
  private final BertModel passageModel;
  private final EncoderRecipe recipe;
  private final HuggingFaceTokenizer queryTokenizer;
  private final HuggingFaceTokenizer passageTokenizer;
  private OnnxBertSession queryOnnx;
  private OnnxBertSession passageOnnx;
  private InferenceEngine engine = InferenceEngine.LIBTORCH;
  private long realTokens;
  private long paddedTokens;

  private TextEncoder(NDManager manager, BertModel queryModel, BertModel passageModel, EncoderRecipe recipe,
      HuggingFaceTokenizer q, HuggingFaceTokenizer p) {
    this.manager = manager;
    this.queryModel = queryModel;
    this.passageModel = passageModel;
    this.recipe = recipe;
    this.queryTokenizer = q;
    this.passageTokenizer = p;
  }

  /** Loads a model directory (see {@link ModelDirectory}). */
  public static TextEncoder load(Path dir) {
    return load(dir, ModelDirectory.recipe(dir));
  }

  /** Loads a model directory with another recipe (for example training-time maximum lengths). */
  public static TextEncoder load(Path dir, EncoderRecipe recipe) {
    return load(dir, recipe, ModelDirectory.isDualEncoder(dir) ? Towers.SEPARATE : Towers.SHARED);
  }

  /** Whether the query and passage towers are one model or two. */
  public enum Towers { SHARED, SEPARATE }

  /**
   * Loads a model directory with the given towers: {@link Towers#SEPARATE} on a single model loads its weights twice,
   * once per tower; {@link Towers#SHARED} on a dual-encoder directory is an error.
   */
  public static TextEncoder load(Path dir, EncoderRecipe recipe, Towers towers) {
    return load(dir, recipe, towers, null);
  }

  /** As {@link #load(Path, EncoderRecipe, Towers)}, with the weights on {@code device} (null: the default one). */
  public static TextEncoder load(Path dir, EncoderRecipe recipe, Towers towers, Device device) {
    boolean dual = ModelDirectory.isDualEncoder(dir);
    if (dual && towers == Towers.SHARED) {
      throw new IllegalArgumentException(dir + " is a dual encoder with separate query and passage towers; it "
          + "cannot be loaded as one shared tower");
    }
    Path queryDir = ModelDirectory.tower(dir, Side.QUERY);
    Path passageDir = ModelDirectory.tower(dir, Side.PASSAGE);
    Torch.configureThreads();
    NDManager manager = NDManager.newBaseManager(device);
    try {
      BertModel passage = BertModel.of(ModelDirectory.config(passageDir),
          Safetensors.read(passageDir.resolve(ModelDirectory.WEIGHTS)), manager);
      BertModel query = towers == Towers.SHARED ? passage : BertModel.of(ModelDirectory.config(queryDir),
          Safetensors.read(queryDir.resolve(ModelDirectory.WEIGHTS)), manager);
      if (query.config().hiddenSize() != passage.config().hiddenSize()) {
        throw new IllegalArgumentException(dir + ": the query tower's hidden size " + query.config().hiddenSize()
            + " differs from the passage tower's " + passage.config().hiddenSize());
      }
      return new TextEncoder(manager, query, passage, recipe, tokenizer(queryDir, recipe.queryMaxLength()),
          tokenizer(passageDir, recipe.passageMaxLength()));
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * Loads a model directory for inference on {@code engine}: with an ONNX engine, each tower's weights become an ONNX
   * graph ({@link OnnxBertGraph}) that ONNX Runtime runs; the libtorch towers stay loaded (they hold the weights) but
   * embed nothing. Not for training: a trainer updates the libtorch weights, which the graph would not see.
   */
  public static TextEncoder load(Path dir, InferenceEngine engine) {
    TextEncoder encoder = load(dir);
    try {
      encoder.runOn(engine, dir.toString());
      return encoder;
    } catch (RuntimeException e) {
      encoder.close();
      throw e;
    }
  }

  /**
   * Embeds on {@code engine} from now on, with the towers' weights as they are now: a trainer calls it before a dev
   * evaluation and {@code runOn(LIBTORCH)} after, so the evaluation runs on the fast engine and never on stale weights.
   */
  public void runOn(InferenceEngine engine) {
    runOn(engine, "the weights in memory");
  }

  private void runOn(InferenceEngine engine, String source) {
    closeSessions();
    this.engine = engine;
    if (!engine.onnx()) {
      return;
    }
    passageOnnx = session(passageModel, engine, source);
    queryOnnx = sharedTowers() ? passageOnnx : session(queryModel, engine, source);
  }

  private static OnnxBertSession session(BertModel tower, InferenceEngine engine, String source) {
    return OnnxBertSession.open(OnnxBertGraph.encoder(tower.config(), NamedTensor.byName(tower.exportWeights()),
        engine.precision()), Torch.threads(), source);
  }

  /** The engine that embeds texts. */
  public InferenceEngine engine() {
    return engine;
  }

  private static HuggingFaceTokenizer tokenizer(Path dir, int maxLength) {
    try {
      return HuggingFaceTokenizer.builder().optTokenizerPath(dir.resolve(ModelDirectory.TOKENIZER))
          .optMaxLength(maxLength).optTruncation(true).optPadding(false).optAddSpecialTokens(true).build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the tokenizer of " + dir, e);
    }
  }

  public EncoderRecipe recipe() {
    return recipe;
  }

  /** The tower that embeds one side; the same object for both sides when the towers are shared. */
  public BertModel model(Side side) {
    return side == Side.QUERY ? queryModel : passageModel;
  }

  public boolean sharedTowers() {
    return queryModel == passageModel;
  }

  /** The embedding dimension. */
  public int dimension() {
    return passageModel.config().hiddenSize();
  }

  /** Embeds queries (with the recipe's query prefix and length). */
  public float[][] encodeQueries(List<String> texts, int batchSize, Progress progress) {
    try (Progress.Task task = progress.start("encode queries", texts.size())) {
      return encode(Side.QUERY, tokenize(Side.QUERY, texts), batchSize, task);
    }
  }

  /** Embeds passages (with the recipe's passage prefix and length); give BEIR's title + " " + text. */
  public float[][] encodePassages(List<String> texts, int batchSize, Progress progress) {
    try (Progress.Task task = progress.start("encode passages", texts.size())) {
      return encode(Side.PASSAGE, tokenize(Side.PASSAGE, texts), batchSize, task);
    }
  }

  /** Token ids of each text after prefixing, truncation and special tokens. */
  public static long[][] tokenize(HuggingFaceTokenizer tokenizer, String prefix, List<String> texts) {
    long[][] ids = new long[texts.size()][];
    for (int i = 0; i < ids.length; i++) {
      Encoding e = tokenizer.encode(prefix + texts.get(i));
      ids[i] = e.getIds();
    }
    return ids;
  }

  /** Passage-side token ids (prefix, truncation, special tokens), for parity checks against other runtimes. */
  public long[][] tokenizePassages(List<String> texts) {
    return tokenize(passageTokenizer, recipe.passagePrefix(), texts);
  }

  /** Token ids of queries or passages, with that side's prefix and maximum length. */
  public long[][] tokenize(Side side, List<String> texts) {
    return side == Side.QUERY ? tokenize(queryTokenizer, recipe.queryPrefix(), texts) : tokenizePassages(texts);
  }

  /** Which side of a dual encoder a text is on: its prefix and maximum length come from the recipe. */
  public enum Side { QUERY, PASSAGE }

  /** Embeds already tokenized texts of one side, batching by length; steps {@code task} once per text. */
  public float[][] encode(Side side, long[][] ids, int batchSize, Progress.Task task) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be positive; batchSize=" + batchSize);
    }
    Integer[] order = IntStream.range(0, ids.length).boxed().toArray(Integer[]::new);
    java.util.Arrays.sort(order, Comparator.comparingInt((Integer i) -> ids[i].length).reversed());
    float[][] out = new float[ids.length][];
    for (int start = 0; start < order.length; start += batchSize) {
      int end = Math.min(order.length, start + batchSize);
      List<long[]> batch = new ArrayList<>(end - start);
      for (int i = start; i < end; i++) {
        batch.add(ids[order[i]]);
      }
      float[][] vectors = encodeBatch(side, batch);
      for (int i = start; i < end; i++) {
        out[order[i]] = vectors[i - start];
      }
      task.step(end - start);
    }
    return out;
  }

  /**
   * One padded batch through one side's tower: on libtorch in a scoped manager, recording no gradients; on ONNX
   * Runtime with its tensors closed before returning.
   */
  public float[][] encodeBatch(Side side, List<long[]> batch) {
    OnnxBertSession onnx = side == Side.QUERY ? queryOnnx : passageOnnx;
    if (onnx != null) {
      return encodeOnnx(onnx, batch);
    }
    return Torch.withoutGrad(() -> encodePadded(model(side), batch));
  }

  private float[][] encodeOnnx(OnnxBertSession onnx, List<long[]> batch) {
    int[] tokens = batch.stream().mapToInt(a -> a.length).toArray();
    int length = java.util.Arrays.stream(tokens).max().orElse(0);
    for (int n : tokens) {
      realTokens += n;
    }
    paddedTokens += (long) batch.size() * length;
    float[] hidden = onnx.run(batch, null);
    return recipe.pooling().pool(hidden, tokens, length, dimension(), recipe.normalize());
  }

  private float[][] encodePadded(BertModel model, List<long[]> batch) {
    int length = batch.stream().mapToInt(a -> a.length).max().orElse(0);
    long[][] ids = new long[batch.size()][length];
    long[][] mask = new long[batch.size()][length];
    long[][] types = new long[batch.size()][length];
    for (int b = 0; b < batch.size(); b++) {
      long[] row = batch.get(b);
      System.arraycopy(row, 0, ids[b], 0, row.length);
      java.util.Arrays.fill(mask[b], 0, row.length, 1L);
      realTokens += row.length;
    }
    paddedTokens += (long) batch.size() * length;
    try (NDManager step = manager.newSubManager()) {
      NDArray idsNd = step.create(ids);
      NDArray maskNd = step.create(mask);
      NDArray hidden = model.forward(idsNd, maskNd, step.create(types), false);
      NDArray pooled = BertModel.pool(hidden, maskNd, recipe.pooling(), recipe.normalize());
      float[] flat = pooled.toFloatArray();
      int dim = model.config().hiddenSize();
      float[][] out = new float[batch.size()][dim];
      for (int b = 0; b < batch.size(); b++) {
        System.arraycopy(flat, b * dim, out[b], 0, dim);
      }
      return out;
    }
  }

  /** Fraction of the tokens processed so far that were real, not padding. */
  public double realTokenFraction() {
    return paddedTokens == 0 ? 1 : (double) realTokens / paddedTokens;
  }

  private void closeSessions() {
    if (queryOnnx != null && queryOnnx != passageOnnx) {
      queryOnnx.close();
    }
    if (passageOnnx != null) {
      passageOnnx.close();
    }
    queryOnnx = null;
    passageOnnx = null;
  }

  @Override
  public void close() {
    closeSessions();
    queryTokenizer.close();
    passageTokenizer.close();
    if (queryModel != passageModel) {
      queryModel.close();
    }
    passageModel.close();
    manager.close();
  }
}
