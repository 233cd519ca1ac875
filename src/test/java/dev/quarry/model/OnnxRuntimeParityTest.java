package dev.quarry.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.quarry.data.Datasets;
import dev.quarry.data.Passage;
import dev.quarry.testing.SharedData;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Quarry's DJL BERT against ONNX Runtime running the very ONNX file its weights were imported from: same tokens,
 * same padded batches, same pooling; embeddings must agree to 1e-4 (max absolute difference).
 */
class OnnxRuntimeParityTest {
  @TempDir
  static Path cache;

  @ParameterizedTest(name = "{0}")
  @CsvSource({"all-minilm-l6-v2, 240", "bge-small-en-v1.5, 48", "e5-small-v2, 48"})
  void embeddingsEqualOnnxRuntime(String name, int count) throws Exception {
    BundledModel bundled = BundledModel.byId(name).orElseThrow();
    Path dir = ModelDirectory.resolve(name, cache);
    List<String> texts = sciFactTexts(count);
    try (TextEncoder encoder = TextEncoder.load(dir);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        InputStream onnx = ModelDirectory.class.getResourceAsStream(bundled.onnxResource());
        OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(2);
      try (OrtSession session = env.createSession(onnx.readAllBytes(), options)) {
        long[][] ids = encoder.tokenizePassages(texts);
        assertThat(java.util.Arrays.stream(ids).mapToInt(a -> a.length).distinct().count())
            .as("mixed lengths").isGreaterThan(10);
        double maxDiff = 0;
        int batchSize = 16;
        for (int start = 0; start < ids.length; start += batchSize) {
          List<long[]> batch = new ArrayList<>();
          for (int i = start; i < Math.min(ids.length, start + batchSize); i++) {
            batch.add(ids[i]);
          }
          float[][] quarry = encoder.encodeBatch(TextEncoder.Side.PASSAGE, batch);
          float[][] reference = onnxRuntime(env, session, batch, encoder.recipe());
          for (int b = 0; b < batch.size(); b++) {
            for (int d = 0; d < quarry[b].length; d++) {
              maxDiff = Math.max(maxDiff, Math.abs(quarry[b][d] - reference[b][d]));
            }
          }
        }
        assertThat(maxDiff).as("max |quarry - onnxruntime| for %s", name).isLessThan(1e-4);
      }
    }
  }

  static List<String> sciFactTexts(int count) {
    List<String> texts = new ArrayList<>();
    // every 20th passage: a spread of lengths, some longer than the 256/512 token limits
    int[] seen = {0};
    Datasets.open(SharedData.scifact()).forEachPassage((Passage p) -> {
      if (seen[0]++ % 20 == 0 && texts.size() < count) {
        texts.add(p.titleAndText());
      }
    });
    return texts;
  }

  /** ONNX Runtime's last_hidden_state for the padded batch, pooled like the recipe says. */
  static float[][] onnxRuntime(OrtEnvironment env, OrtSession session, List<long[]> batch, EncoderRecipe recipe)
      throws Exception {
    int length = batch.stream().mapToInt(a -> a.length).max().orElse(0);
    long[][] ids = new long[batch.size()][length];
    long[][] mask = new long[batch.size()][length];
    long[][] types = new long[batch.size()][length];
    for (int b = 0; b < batch.size(); b++) {
      System.arraycopy(batch.get(b), 0, ids[b], 0, batch.get(b).length);
      java.util.Arrays.fill(mask[b], 0, batch.get(b).length, 1L);
    }
    try (OnnxTensor i = OnnxTensor.createTensor(env, ids); OnnxTensor m = OnnxTensor.createTensor(env, mask);
        OnnxTensor t = OnnxTensor.createTensor(env, types);
        OrtSession.Result r = session.run(Map.of("input_ids", i, "attention_mask", m, "token_type_ids", t))) {
      float[][][] hidden = (float[][][]) r.get(0).getValue();
      float[][] out = new float[batch.size()][];
      for (int b = 0; b < batch.size(); b++) {
        int n = batch.get(b).length;
        int dim = hidden[b][0].length;
        float[] v = new float[dim];
        if (recipe.pooling() == Pooling.CLS) {
          v = hidden[b][0].clone();
        } else {
          for (int tok = 0; tok < n; tok++) {
            for (int d = 0; d < dim; d++) {
              v[d] += hidden[b][tok][d];
            }
          }
          for (int d = 0; d < dim; d++) {
            v[d] /= n;
          }
        }
        if (recipe.normalize()) {
          double norm = 0;
          for (float x : v) {
            norm += x * x;
          }
          for (int d = 0; d < dim; d++) {
            v[d] /= (float) Math.max(Math.sqrt(norm), 1e-12);
          }
        }
        out[b] = v;
      }
      return out;
    }
  }
}
