package dev.quarry.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.quarry.data.Passage;
import dev.quarry.io.JsonLines;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.InferenceEngine;
import dev.quarry.model.ModelDirectory;
import dev.quarry.model.Pooling;
import dev.quarry.model.Safetensors;
import dev.quarry.model.TinyModels;
import dev.quarry.model.Torch;
import dev.quarry.testing.NativeMemory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReaderTest {
  private static final List<Passage> PASSAGES = List.of(
      new Passage("a", "Paris", "Paris is the capital and largest city of France, on the Seine."),
      new Passage("b", "", "The Loire is the longest river in France."),
      new Passage("c", "Lyon", "Lyon lies where the Rhône meets the Saône."));
  @TempDir
  Path tmp;

  private Path encoder() {
    return TinyModels.create(tmp.resolve("encoder"), new EncoderRecipe(Pooling.MEAN, true, "", "", 32, 32), 3);
  }

  @Test
  void savesAHuggingFaceQuestionAnsweringDirectoryThatLoadsToTheSameLogits() throws Exception {
    Path saved = tmp.resolve("reader");
    float[] before;
    try (Reader reader = Reader.fromEncoder(encoder(), 48, 7)) {
      before = logits(reader);
      reader.save(saved);
    }
    assertThat(Reader.isReader(saved)).isTrue();
    assertThat(JsonLines.MAPPER.readTree(saved.resolve(ModelDirectory.CONFIG).toFile()).path("architectures").get(0)
        .asText()).isEqualTo("BertForQuestionAnswering");
    var weights = Safetensors.read(saved.resolve(ModelDirectory.WEIGHTS));
    assertThat(weights.get("qa_outputs.weight").shape()).containsExactly(2, 32);
    assertThat(weights.get("qa_classifier.weight").shape()).containsExactly(1, 32);
    assertThat(weights).containsKey("bert.encoder.layer.1.output.dense.weight");
    try (Reader loaded = Reader.load(saved)) {
      assertThat(logits(loaded)).containsExactly(before);
      assertThat(loaded.tokenizer().maxLength()).isEqualTo(48);
    }
    assertThatThrownBy(() -> Reader.load(encoder())).hasMessageContaining("is not a reader")
        .hasMessageContaining("quarry train-reader");
  }

  private static float[] logits(Reader reader) {
    return Torch.withoutGrad(() -> {
      try (NDManager m = NDManager.newBaseManager()) {
        NDList out = reader.logits(m, PASSAGES.stream().map(p -> reader.tokenizer().sequence("what river?", p))
            .toList(), false);
        float[] start = out.get(0).toFloatArray();
        float[] selection = out.get(2).toFloatArray();
        float[] all = java.util.Arrays.copyOf(start, start.length + selection.length);
        System.arraycopy(selection, 0, all, start.length, selection.length);
        return all;
      }
    });
  }

  @Test
  void groupsByLengthGiveTheLogitsOfEachSequenceReadAlone() {
    // 19 sequences of many lengths (more than two groups, the last one short), in an order unlike their lengths.
    java.util.List<String> words = java.util.Arrays.asList(("the Seine flows through Paris and the Loire is the "
        + "longest river of France while the Rhone meets the Saone at Lyon").split(" "));
    try (Reader reader = Reader.fromEncoder(encoder(), 48, 7)) {
      List<ReaderSequence> sequences = new java.util.ArrayList<>();
      for (int i = 0; i < 19; i++) {
        int n = 1 + (i * 7) % words.size();
        sequences.add(reader.tokenizer().sequence("which river?", new Passage("p" + i, i % 2 == 0 ? "T" : "",
            String.join(" ", words.subList(0, n)))));
      }
      Torch.withoutGrad(() -> {
        try (NDManager m = NDManager.newBaseManager()) {
          NDList all = reader.logits(m, sequences, false);
          int length = (int) all.get(0).getShape().get(1);
          for (int i = 0; i < sequences.size(); i++) {
            ReaderSequence s = sequences.get(i);
            NDList alone = reader.logits(m, List.of(s), false);
            float[] start = all.get(0).get(i).toFloatArray();
            float[] end = all.get(1).get(i).toFloatArray();
            float[] aloneStart = alone.get(0).get(0).toFloatArray();
            float[] aloneEnd = alone.get(1).get(0).toFloatArray();
            assertThat(aloneStart).hasSize(s.ids().length);
            assertThat(start).hasSize(length);
            for (int t = 0; t < s.ids().length; t++) {
              assertThat(start[t]).isCloseTo(aloneStart[t], within(1e-5f));
              assertThat(end[t]).isCloseTo(aloneEnd[t], within(1e-5f));
            }
            assertThat(all.get(2).getFloat(i)).isCloseTo(alone.get(2).getFloat(0), within(1e-5f));
          }
        }
        return null;
      });
    }
  }

  @Test
  void onnxRuntimeGivesTheAnswerLibtorchGives() {
    Path saved = tmp.resolve("onnx-reader");
    try (Reader reader = Reader.fromEncoder(encoder(), 48, 11)) {
      reader.save(saved);
    }
    try (Reader torch = Reader.load(saved, InferenceEngine.LIBTORCH);
        Reader onnx = Reader.load(saved, InferenceEngine.ONNX)) {
      for (String question : List.of("Which river is longest?", "Where do two rivers meet?", "capital of France")) {
        Answer a = torch.answer(question, PASSAGES, AnswerDecoding.DEFAULT).orElseThrow();
        Answer b = onnx.answer(question, PASSAGES, AnswerDecoding.DEFAULT).orElseThrow();
        assertThat(b.text()).isEqualTo(a.text());
        assertThat(b.passageRank()).isEqualTo(a.passageRank());
        assertThat(b.spanScore()).isCloseTo(a.spanScore(), within(1e-4f));
        assertThat(b.selectionScore()).isCloseTo(a.selectionScore(), within(1e-4f));
      }
    }
  }

  @Test
  void answersWithWholeWordsOfTheSelectedPassageAndLeaksNoNativeMemory() {
    try (Reader reader = Reader.fromEncoder(encoder(), 48, 7)) {
      Answer a = reader.answer("Which river is longest?", PASSAGES, new AnswerDecoding(3, 4)).orElseThrow();
      assertThat(a.passageRank()).isBetween(1, 3);
      assertThat(a.passage()).isEqualTo(PASSAGES.get(a.passageRank() - 1));
      assertThat(a.passage().text().substring(a.charStart(), a.charEnd())).isEqualTo(a.text());
      assertThat(a.text()).isNotBlank();
      String before = a.passage().text().substring(0, a.charStart());
      String after = a.passage().text().substring(a.charEnd());
      assertThat(before.isEmpty() || !Character.isLetterOrDigit(before.charAt(before.length() - 1))
          || !Character.isLetterOrDigit(a.text().charAt(0))).as("starts on a word boundary: %s", a).isTrue();
      assertThat(after.isEmpty() || !Character.isLetterOrDigit(after.charAt(0))
          || !Character.isLetterOrDigit(a.text().charAt(a.text().length() - 1))).as("ends on one: %s", a).isTrue();
      assertThat(reader.answer("anything", List.of(), AnswerDecoding.DEFAULT)).isEmpty();

      for (int i = 0; i < 50; i++) {   // warm up allocator pools and the JIT
        reader.answer("Which river is longest?", PASSAGES, AnswerDecoding.DEFAULT);
      }
      long start = NativeMemory.residentOutsideHeap();
      for (int i = 0; i < 400; i++) {
        reader.answer("Which river is longest " + i + "?", PASSAGES, AnswerDecoding.DEFAULT);
      }
      // each call makes dozens of activations of 3 x 48 x 32 floats: unscoped, 400 calls would leak far more
      assertThat(NativeMemory.residentOutsideHeap() - start).as("native growth over 400 answers")
          .isLessThan(64L << 20);
    }
  }
}
