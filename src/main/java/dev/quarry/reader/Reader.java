package dev.quarry.reader;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.data.Passage;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.JsonLines;
import dev.quarry.model.BertConfig;
import dev.quarry.model.BertModel;
import dev.quarry.model.BertWithHeads;
import dev.quarry.model.InferenceEngine;
import dev.quarry.model.ModelDirectory;
import dev.quarry.model.ModelExport;
import dev.quarry.model.NamedTensor;
import dev.quarry.model.OnnxBertGraph;
import dev.quarry.model.Safetensors;
import dev.quarry.model.Torch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * DPR's extractive reader (Karpukhin et al. 2020, section 6): a BERT encoder over {@link ReaderSequence}s, a linear
 * layer to a start and an end logit per token ({@code qa_outputs}, as Hugging Face's
 * {@code BertForQuestionAnswering}) and a linear layer from the {@code [CLS]} state to a passage-selection logit
 * ({@code qa_classifier}, as DPR). {@link #save} writes a {@code BertForQuestionAnswering} directory that
 * {@code transformers} loads (it ignores {@code qa_classifier}) plus {@code quarry.json}.
 *
 * <p>Started from an encoder directory ({@link #fromEncoder}), the backbone takes the encoder's weights and the heads
 * are new: weights drawn from N(0, 0.02) with a seed, biases zero, as {@code transformers} initializes them.
 */
public final class Reader implements AutoCloseable {
  static final String FORMAT = "quarry-reader/1";
  private final BertWithHeads model;
  private final BertModel bert;
  private final Path tokenizerFile;
  private final ReaderTokenizer tokenizer;

  private Reader(BertWithHeads model, Path tokenizerFile, int maxLength) {
    this.model = model;
    this.bert = model.bert();
    this.tokenizerFile = tokenizerFile;
    this.tokenizer = new ReaderTokenizer(tokenizerFile, maxLength);
  }

  /** Whether {@code dir} holds a reader written by {@link #save}. */
  public static boolean isReader(Path dir) {
    return BertWithHeads.hasFormat(dir, FORMAT);
  }

  /** A new reader on an encoder directory's backbone, with seeded new heads; sequences cut to {@code maxLength}. */
  public static Reader fromEncoder(Path encoderDir, int maxLength, long seed) {
    BertConfig config = ModelDirectory.config(encoderDir);
    Map<String, NamedTensor> weights = new LinkedHashMap<>(
        Safetensors.read(encoderDir.resolve(ModelDirectory.WEIGHTS)));
    Random random = new Random(seed);
    int h = config.hiddenSize();
    Map<String, long[]> shapes = headShapes(h);
    weights.put("qa_outputs.weight", BertWithHeads.normal("qa_outputs.weight", shapes.get("qa_outputs.weight"),
        random));
    weights.put("qa_outputs.bias", BertWithHeads.zeros("qa_outputs.bias", shapes.get("qa_outputs.bias")));
    weights.put("qa_classifier.weight", BertWithHeads.normal("qa_classifier.weight",
        shapes.get("qa_classifier.weight"), random));
    weights.put("qa_classifier.bias", BertWithHeads.zeros("qa_classifier.bias", shapes.get("qa_classifier.bias")));
    return build(config, weights, encoderDir.resolve(ModelDirectory.TOKENIZER), maxLength);
  }

  /** Loads a directory written by {@link #save}; anything else is an error that says what the directory is not. */
  public static Reader load(Path dir) {
    if (!isReader(dir)) {
      throw new IllegalArgumentException(dir + " is not a reader (no " + ModelDirectory.RECIPE + " with format "
          + FORMAT + "); train one with quarry train-reader");
    }
    int maxLength;
    try {
      JsonNode r = JsonLines.MAPPER.readTree(dir.resolve(ModelDirectory.RECIPE).toFile());
      maxLength = r.path("max_length").asInt(256);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve(ModelDirectory.RECIPE), e);
    }
    return build(ModelDirectory.config(dir), Safetensors.read(dir.resolve(ModelDirectory.WEIGHTS)),
        dir.resolve(ModelDirectory.TOKENIZER), maxLength);
  }

  /** Loads a directory for inference on {@code engine} ({@link #runOn}). */
  public static Reader load(Path dir, InferenceEngine engine) {
    Reader reader = load(dir);
    try {
      reader.runOn(engine);
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
    return reader;
  }

  /**
   * Answers on {@code engine} from now on, with the weights as they are now: with an ONNX engine, ONNX Runtime runs
   * the encoder ({@link OnnxBertGraph#encoder}) and the two small heads run in Java. The trainer calls it before a dev
   * pass and {@code runOn(LIBTORCH)} after, so a dev pass runs on the fast engine and never on stale weights.
   */
  public void runOn(InferenceEngine engine) {
    model.runOn(engine, (weights, precision) -> OnnxBertGraph.encoder(bert.config(), weights, precision), "reader");
  }

  private static Reader build(BertConfig config, Map<String, NamedTensor> weights, Path tokenizer, int maxLength) {
    if (maxLength < 16 || maxLength > config.maxPositions()) {
      throw new IllegalArgumentException("reader max length must be between 16 and the model's "
          + config.maxPositions() + " positions; max length=" + maxLength);
    }
    return new Reader(BertWithHeads.of(config, weights, headShapes(config.hiddenSize()), "reader"), tokenizer,
        maxLength);
  }

  /** The heads: a start and an end logit per token, a selection logit from [CLS]. */
  private static Map<String, long[]> headShapes(int h) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    shapes.put("qa_outputs.weight", new long[] {2, h});
    shapes.put("qa_outputs.bias", new long[] {2});
    shapes.put("qa_classifier.weight", new long[] {1, h});
    shapes.put("qa_classifier.bias", new long[] {1});
    return shapes;
  }

  public ReaderTokenizer tokenizer() {
    return tokenizer;
  }

  /** Sequences forwarded together: sorted by length, so each group pads only to its own longest. */
  static final int LENGTH_GROUP = 4;

  /**
   * The logits of the sequences, with a graph when the parameters are trainable: {@code [batch, length]} start
   * logits, {@code [batch, length]} end logits and {@code [batch]} selection logits, in the order given, where
   * length is the longest sequence. The encoder runs on groups of {@link #LENGTH_GROUP} sequences of similar length
   * (a step of 32 SQuAD sequences padded to the longest ran at 0.09 steps/s, in groups of 8 at 0.16, of 4 at 0.18); the token logits past a
   * sequence's end (padding) belong to no passage, so no loss or decoding reads them.
   */
  public NDList logits(NDManager m, List<ReaderSequence> sequences, boolean training) {
    int n = sequences.size();
    int length = sequences.stream().mapToInt(s -> s.ids().length).max().orElse(0);
    Integer[] byLength = new Integer[n];
    for (int i = 0; i < n; i++) {
      byLength[i] = i;
    }
    java.util.Arrays.sort(byLength, java.util.Comparator.comparingInt(i -> sequences.get(i).ids().length));
    NDArray[] starts = new NDArray[n];
    NDArray[] ends = new NDArray[n];
    NDArray[] selections = new NDArray[n];
    for (int from = 0; from < n; from += LENGTH_GROUP) {
      List<ReaderSequence> group = new ArrayList<>();
      for (int j = from; j < Math.min(n, from + LENGTH_GROUP); j++) {
        group.add(sequences.get(byLength[j]));
      }
      NDList out = groupLogits(m, group, length, training);
      for (int j = 0; j < group.size(); j++) {
        int i = byLength[from + j];
        starts[i] = out.get(0).get(j);
        ends[i] = out.get(1).get(j);
        selections[i] = out.get(2).get(j);
      }
    }
    return new NDList(ai.djl.ndarray.NDArrays.stack(new NDList(starts)),
        ai.djl.ndarray.NDArrays.stack(new NDList(ends)), ai.djl.ndarray.NDArrays.stack(new NDList(selections)));
  }

  /** {@link #logits} of one group, padded to its longest sequence and its token logits then to {@code length}. */
  private NDList groupLogits(NDManager m, List<ReaderSequence> group, int length, boolean training) {
    int own = group.stream().mapToInt(s -> s.ids().length).max().orElse(0);
    long[][] ids = new long[group.size()][own];
    long[][] types = new long[group.size()][own];
    long[][] mask = new long[group.size()][own];
    for (int b = 0; b < group.size(); b++) {
      ReaderSequence s = group.get(b);
      System.arraycopy(s.ids(), 0, ids[b], 0, s.ids().length);
      System.arraycopy(s.types(), 0, types[b], 0, s.ids().length);
      java.util.Arrays.fill(mask[b], 0, s.ids().length, 1L);
    }
    NDArray hidden = bert.forward(m.create(ids), m.create(mask), m.create(types), training);
    NDArray spans = hidden.getNDArrayInternal().linear(hidden, model.head("qa_outputs.weight"),
        model.head("qa_outputs.bias")).singletonOrThrow();                                   // [group, own, 2]
    if (own < length) {
      spans = spans.concat(m.zeros(new ai.djl.ndarray.types.Shape(group.size(), length - own, 2)), 1);
    }
    NDArray cls = hidden.get(new NDIndex(":, 0, :"));
    NDArray selection = cls.getNDArrayInternal().linear(cls, model.head("qa_classifier.weight"),
        model.head("qa_classifier.bias")).singletonOrThrow().reshape(group.size());
    return new NDList(spans.get(new NDIndex(":, :, 0")), spans.get(new NDIndex(":, :, 1")), selection);
  }

  /**
   * Reads a question's passages (best first; the caller cuts them to the k it reads) and answers from the passage
   * with the highest selection score, or empty when no passage kept a token. Runs without gradients in its own
   * manager.
   */
  public java.util.Optional<Answer> answer(String question, List<Passage> passages, AnswerDecoding decoding) {
    List<ReaderSequence> sequences = new ArrayList<>(passages.size());
    List<Integer> ranks = new ArrayList<>();
    for (int i = 0; i < passages.size(); i++) {
      ReaderSequence s = tokenizer.sequence(question, passages.get(i));
      if (s.hasPassageTokens()) {
        sequences.add(s);
        ranks.add(i + 1);
      }
    }
    if (sequences.isEmpty()) {
      return java.util.Optional.empty();
    }
    SequenceLogits out = model.onnx() != null ? onnxLogits(sequences) : Torch.withoutGrad(() -> {
      try (NDManager m = model.manager().newSubManager()) {
        NDList l = logits(m, sequences, false);
        int length = Math.toIntExact(l.get(0).getShape().get(1));
        return new SequenceLogits(rows(l.get(0).toFloatArray(), length), rows(l.get(1).toFloatArray(), length),
            l.get(2).toFloatArray());
      }
    });
    int best = 0;
    for (int i = 1; i < out.selection().length; i++) {
      if (out.selection()[i] > out.selection()[best]) {
        best = i;
      }
    }
    ReaderSequence s = sequences.get(best);
    AnswerDecoding.Span span = decoding.bestSpan(out.start()[best], out.end()[best], s.passageStart(),
        s.passageEnd());
    int[] words = s.wholeWords(span.start(), span.end());
    AnswerMatches.CharSpan chars = s.chars(words[0], words[1]);
    return java.util.Optional.of(new Answer(s.text(words[0], words[1]), s.passage(), ranks.get(best), chars.start(),
        chars.end(), span.score(), out.selection()[best]));
  }

  /** Start and end logits per sequence and token, and a selection logit per sequence. */
  record SequenceLogits(float[][] start, float[][] end, float[] selection) {
  }

  private static float[][] rows(float[] flat, int length) {
    float[][] out = new float[flat.length / length][];
    for (int i = 0; i < out.length; i++) {
      out[i] = java.util.Arrays.copyOfRange(flat, i * length, (i + 1) * length);
    }
    return out;
  }

  /** The logits with ONNX Runtime's hidden states and the heads applied here (3 dot products a token). */
  private SequenceLogits onnxLogits(List<ReaderSequence> sequences) {
    float[] hidden = model.onnx().run(sequences.stream().map(ReaderSequence::ids).toList(),
        sequences.stream().map(ReaderSequence::types).toList());
    int h = bert.config().hiddenSize();
    int rows = sequences.size();
    int length = hidden.length / (rows * h);
    float[] w = model.head("qa_outputs.weight").toFloatArray();
    float[] b = model.head("qa_outputs.bias").toFloatArray();
    float[] wc = model.head("qa_classifier.weight").toFloatArray();
    float bc = model.head("qa_classifier.bias").toFloatArray()[0];
    float[][] start = new float[rows][length];
    float[][] end = new float[rows][length];
    float[] selection = new float[rows];
    for (int r = 0; r < rows; r++) {
      for (int t = 0; t < length; t++) {
        int at = (r * length + t) * h;
        float s = b[0];
        float e = b[1];
        float c = bc;
        for (int k = 0; k < h; k++) {
          float x = hidden[at + k];
          s += x * w[k];
          e += x * w[h + k];
          c += x * wc[k];
        }
        start[r][t] = s;
        end[r][t] = e;
        if (t == 0) {
          selection[r] = c;
        }
      }
    }
    return new SequenceLogits(start, end, selection);
  }

  /** The trainable weights, under Hugging Face's names (the backbone's with a {@code bert.} prefix). */
  public BertWithHeads weights() {
    return model;
  }

  /**
   * Writes a Hugging Face {@code BertForQuestionAnswering} directory ({@code config.json}, {@code model.safetensors}
   * with {@code qa_classifier} besides, {@code tokenizer.json}) plus {@code quarry.json}; built beside the target
   * and renamed.
   */
  public void save(Path target) {
    ModelExport.atomically(target, temp -> {
      Safetensors.write(temp.resolve(ModelDirectory.WEIGHTS), model.exportWeights(), Map.of("format", "pt"));
      Files.copy(tokenizerFile, temp.resolve(ModelDirectory.TOKENIZER));
      ObjectNode config = bert.config().toJson();
      config.putArray("architectures").add("BertForQuestionAnswering");
      AtomicOutput.writeString(temp.resolve(ModelDirectory.CONFIG), config.toPrettyString() + "\n");
      ObjectNode recipe = JsonLines.MAPPER.createObjectNode();
      recipe.put("format", FORMAT);
      recipe.put("max_length", tokenizer.maxLength());
      AtomicOutput.writeString(temp.resolve(ModelDirectory.RECIPE), recipe.toPrettyString() + "\n");
    });
  }

  @Override
  public void close() {
    tokenizer.close();
    model.close();
  }
}
