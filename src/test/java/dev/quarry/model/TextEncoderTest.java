package dev.quarry.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.quarry.testing.NativeMemory;
import dev.quarry.util.Progress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextEncoderTest {
  @TempDir
  Path tmp;

  private static final List<String> TEXTS = List.of(
      "Short text.",
      "A somewhat longer text about proteins binding to receptors in the cell membrane.",
      "Dense retrieval encodes queries and passages into vectors whose inner product ranks passages.",
      "x");

  @Test
  void paddingAndBatchingDoNotChangeEmbeddings() {
    Path dir = TinyModels.create(tmp.resolve("m"), new EncoderRecipe(Pooling.MEAN, true, "", "", 64, 64), 3);
    try (TextEncoder encoder = TextEncoder.load(dir)) {
      float[][] together = encoder.encodePassages(TEXTS, 4, Progress.NONE);
      for (int i = 0; i < TEXTS.size(); i++) {
        float[] alone = encoder.encodePassages(List.of(TEXTS.get(i)), 1, Progress.NONE)[0];
        for (int d = 0; d < alone.length; d++) {
          assertThat(together[i][d]).as("text %d dim %d", i, d).isCloseTo(alone[d], within(1e-5f));
        }
      }
      double norm = 0;
      for (float x : together[1]) {
        norm += x * x;
      }
      assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-5));
      // one batch of the four texts, padded to the longest, then each text alone (no padding): real tokens are twice
      // the sum of the lengths, padded ones four times the longest plus the sum
      long[][] ids = encoder.tokenize(TextEncoder.Side.PASSAGE, TEXTS);
      long sum = 0;
      long longest = 0;
      for (long[] t : ids) {
        sum += t.length;
        longest = Math.max(longest, t.length);
      }
      assertThat(longest).as("the texts differ in length, so the batch has padding").isGreaterThan(ids[0].length);
      assertThat(encoder.realTokenFraction()).isCloseTo((double) (2 * sum) / (4 * longest + sum), within(1e-12));
    }
  }

  @Test
  void recipeDecidesPrefixesAndTruncation() {
    Path dir = TinyModels.create(tmp.resolve("m"), new EncoderRecipe(Pooling.CLS, false, "query: ", "passage: ", 5, 8), 3);
    try (TextEncoder encoder = TextEncoder.load(dir)) {
      long[][] q = encoder.tokenize(TextEncoder.Side.QUERY, List.of("one two three four five six"));
      long[][] p = encoder.tokenize(TextEncoder.Side.PASSAGE, List.of("one two three four five six"));
      assertThat(q[0]).hasSize(5);
      assertThat(p[0]).hasSize(8);
      assertThat(q[0][0]).isEqualTo(101);   // [CLS]
      assertThat(q[0][4]).isEqualTo(102);   // [SEP] after truncation
      assertThat(encoder.recipe()).isEqualTo(ModelDirectory.recipe(dir));
    }
  }

  @Test
  void nativeMemoryStaysFlatOverThousandsOfBatches() throws Exception {
    Path dir = TinyModels.create(tmp.resolve("m"), new EncoderRecipe(Pooling.MEAN, true, "", "", 64, 64), 5);
    try (TextEncoder encoder = TextEncoder.load(dir)) {
      List<long[]> batch = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        long[] ids = new long[48];
        for (int t = 0; t < ids.length; t++) {
          ids[t] = 1000 + (i * 31 + t * 7) % 20000;
        }
        batch.add(ids);
      }
      for (int i = 0; i < 100; i++) {   // warm up allocator pools and the JIT
        encoder.encodeBatch(TextEncoder.Side.PASSAGE, batch);
      }
      long before = NativeMemory.residentOutsideHeap();
      for (int i = 0; i < 500; i++) {
        encoder.encodeBatch(TextEncoder.Side.PASSAGE, batch);
      }
      long growth = NativeMemory.residentOutsideHeap() - before;
      // each batch makes ~60 activations of 16x48x32 floats or more (~100 KB each): unscoped, 500 batches would
      // leak several gigabytes
      assertThat(growth).as("native memory growth over 500 batches").isLessThan(64L << 20);
    }
  }
}
