package dev.quarry.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.data.ScoredDoc;
import dev.quarry.io.JsonLines;
import dev.quarry.vectors.VectorReader;
import dev.quarry.vectors.VectorWriter;
import dev.quarry.vectors.VectorWriterConfig;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exact search past 2^31 floats, which no Java array holds: 2,098,176 rows of 1,024 floats (8.6 GB of shards, mostly
 * zero rows generated on the fly, a few planted ones) searched through the memory-mapped index, which finds the
 * planted rows, the last of them beyond float 2^31, in the order their scores give. Writes and hashes 8.6 GB, so it
 * is in the {@code slow} group: {@code bin/test -Dtest=MappedFlatPastIntRangeTest -Dquarry.groups=slow
 * -Dquarry.excludedGroups=}.
 */
@Tag("slow")
class MappedFlatPastIntRangeTest {
  private static final int DIMENSION = 1024;
  private static final int ROWS = (1 << 21) + 1024;
  /** Planted rows and their weight on dimension 0; the last lies past float index 2^31. */
  private static final int[] PLANTED = {5, 1_000_000, ROWS - 1};
  private static final float[] WEIGHT = {1, 3, 2};

  @TempDir
  Path tmp;

  @Test
  void searchesAnArtifactOfMoreThanTwoToTheThirtyOneFloats() {
    assertThat((long) ROWS * DIMENSION).isGreaterThan(FlatVectorIndex.MAX_VALUES);
    assertThat((long) PLANTED[2] * DIMENSION).isGreaterThan(Integer.MAX_VALUE);
    List<String> ids = new AbstractList<>() {   // "r<row>" without a list of two million strings up front
      @Override
      public String get(int index) {
        return "r" + index;
      }

      @Override
      public int size() {
        return ROWS;
      }
    };
    Path dir = tmp.resolve("big");
    try (VectorWriter writer = VectorWriter.open(dir, ids,
        new VectorWriterConfig(DIMENSION, 1 << 19, false, JsonLines.MAPPER.createObjectNode()))) {
      float[][] batch = new float[4096][DIMENSION];
      for (int first = 0; first < ROWS; first += batch.length) {
        int n = Math.min(batch.length, ROWS - first);
        for (int i = 0; i < n; i++) {
          Arrays.fill(batch[i], 0f);
          for (int p = 0; p < PLANTED.length; p++) {
            if (PLANTED[p] == first + i) {
              batch[i][0] = WEIGHT[p];
            }
          }
        }
        writer.append(n == batch.length ? batch : Arrays.copyOf(batch, n));
      }
      writer.finish();
    }
    float[] query = new float[DIMENSION];
    query[0] = 1;
    try (VectorReader reader = VectorReader.open(dir, VectorReader.Verification.STRUCTURE);
        FlatVectorIndex index = FlatVectorIndex.mapped(reader, Similarity.DOT_PRODUCT, 2)) {
      List<ScoredDoc> hits = index.search(query, 3);
      assertThat(hits).extracting(ScoredDoc::docId).containsExactly("r1000000", "r" + (ROWS - 1), "r5");
      assertThat(hits).extracting(ScoredDoc::score).containsExactly(3.0, 2.0, 1.0);
    }
  }
}
