package dev.quarry.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.rerank.CrossEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX graph Quarry builds from a model's weights ({@link OnnxBertGraph}), run by ONNX Runtime, against Quarry's
 * libtorch forward pass on real SciFact passages of mixed lengths: fp32 equal to 1e-4, int8 close in cosine.
 */
class OnnxExportParityTest {
  @TempDir
  static Path cache;

  @TempDir
  Path tmp;

  @Test
  void crossEncoderGraphEqualsLibtorch() {
    Path encoder = ModelDirectory.resolve("all-minilm-l6-v2", cache);
    Path dir = tmp.resolve("ce");
    try (CrossEncoder fresh = CrossEncoder.fromEncoder(encoder, 192, 7)) {
      fresh.save(dir);
    }
    List<String> passages = OnnxRuntimeParityTest.sciFactTexts(40);
    List<String> queries = passages.stream().map(p -> p.substring(0, Math.min(60, p.length()))).toList();
    List<String> shifted = new ArrayList<>(queries.subList(1, queries.size()));
    shifted.add(queries.get(0));
    try (CrossEncoder torch = CrossEncoder.load(dir);
        CrossEncoder onnx = CrossEncoder.load(dir, InferenceEngine.ONNX);
        CrossEncoder int8 = CrossEncoder.load(dir, InferenceEngine.ONNX_INT8)) {
      float[] a = torch.score(shifted, passages, 8);
      float[] b = onnx.score(shifted, passages, 8);
      float[] c = int8.score(shifted, passages, 8);
      double maxDiff = 0;
      double maxInt8 = 0;
      for (int i = 0; i < a.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
        maxInt8 = Math.max(maxInt8, Math.abs(a[i] - c[i]));
      }
      assertThat(maxDiff).as("max |libtorch - onnx| logit").isLessThan(1e-4);
      assertThat(maxInt8).as("max |libtorch - onnx int8| logit").isLessThan(0.05);
      System.out.printf("cross-encoder: max logit diff fp32 %.3g, int8 %.3g%n", maxDiff, maxInt8);
    }
  }

  @Test
  void exportedGraphEqualsLibtorch() {
    Path dir = ModelDirectory.resolve("all-minilm-l6-v2", cache);
    List<String> texts = OnnxRuntimeParityTest.sciFactTexts(64);
    try (TextEncoder torch = TextEncoder.load(dir);
        TextEncoder onnx = TextEncoder.load(dir, InferenceEngine.ONNX);
        TextEncoder int8 = TextEncoder.load(dir, InferenceEngine.ONNX_INT8)) {
      long[][] ids = torch.tokenizePassages(texts);
      double maxDiff = 0;
      double minCosine = 1;
      for (int start = 0; start < ids.length; start += 16) {
        List<long[]> batch = new ArrayList<>(List.of(ids).subList(start, Math.min(ids.length, start + 16)));
        float[][] a = torch.encodeBatch(TextEncoder.Side.PASSAGE, batch);
        float[][] b = onnx.encodeBatch(TextEncoder.Side.PASSAGE, batch);
        float[][] c = int8.encodeBatch(TextEncoder.Side.PASSAGE, batch);
        for (int r = 0; r < a.length; r++) {
          double dot = 0;
          for (int d = 0; d < a[r].length; d++) {
            maxDiff = Math.max(maxDiff, Math.abs(a[r][d] - b[r][d]));
            dot += a[r][d] * c[r][d];
          }
          minCosine = Math.min(minCosine, dot);
        }
      }
      assertThat(maxDiff).as("max |libtorch - onnx fp32|").isLessThan(1e-4);
      assertThat(minCosine).as("min cosine libtorch vs onnx int8").isGreaterThan(0.98);
      System.out.printf("max diff fp32 %.3g, min cosine int8 %.5f%n", maxDiff, minCosine);
    }
  }
}
