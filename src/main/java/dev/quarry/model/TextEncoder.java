package dev.quarry.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
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
 */
public final class TextEncoder implements AutoCloseable {
  private final NDManager manager;
  private final BertModel model;
  private final EncoderRecipe recipe;
  private final HuggingFaceTokenizer queryTokenizer;
  private final HuggingFaceTokenizer passageTokenizer;
  private long realTokens;
  private long paddedTokens;

  private TextEncoder(NDManager manager, BertModel model, EncoderRecipe recipe, HuggingFaceTokenizer q,
      HuggingFaceTokenizer p) {
    this.manager = manager;
    this.model = model;
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
    BertConfig config = ModelDirectory.config(dir);
    Torch.configureThreads();
    NDManager manager = NDManager.newBaseManager();
    try {
      BertModel model = BertModel.of(config, Safetensors.read(dir.resolve(ModelDirectory.WEIGHTS)), manager);
      return new TextEncoder(manager, model, recipe, tokenizer(dir, recipe.queryMaxLength()),
          tokenizer(dir, recipe.passageMaxLength()));
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
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

  public BertModel model() {
    return model;
  }

  /** Embeds queries (with the recipe's query prefix and length). */
  public float[][] encodeQueries(List<String> texts, int batchSize, Progress progress) {
    try (Progress.Task task = progress.start("encode queries", texts.size())) {
      return encode(tokenize(queryTokenizer, recipe.queryPrefix(), texts), batchSize, task);
    }
  }

  /** Embeds passages (with the recipe's passage prefix and length); give BEIR's title + " " + text. */
  public float[][] encodePassages(List<String> texts, int batchSize, Progress progress) {
    try (Progress.Task task = progress.start("encode passages", texts.size())) {
      return encode(tokenize(passageTokenizer, recipe.passagePrefix(), texts), batchSize, task);
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

  /** Embeds already tokenized texts, batching by length; steps {@code task} once per text. */
  public float[][] encode(long[][] ids, int batchSize, Progress.Task task) {
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
      float[][] vectors = encodeBatch(batch);
      for (int i = start; i < end; i++) {
        out[order[i]] = vectors[i - start];
      }
      task.step(end - start);
    }
    return out;
  }

  /** One padded batch through the model, in a scoped manager, recording no gradients. */
  public float[][] encodeBatch(List<long[]> batch) {
    return Torch.withoutGrad(() -> encodePadded(batch));
  }

  private float[][] encodePadded(List<long[]> batch) {
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

  @Override
  public void close() {
    queryTokenizer.close();
    passageTokenizer.close();
    model.close();
    manager.close();
  }
}
