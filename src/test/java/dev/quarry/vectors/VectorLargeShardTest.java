package dev.quarry.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.io.JsonLines;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real shard over 2 GB, which one {@code FileChannel.map} cannot hold: the reader maps it in two windows. Writes
 * and hashes 2.1 GB, so it is in the {@code slow} group.
 */
@Tag("slow")
class VectorLargeShardTest {
  private static final int DIMENSION = 1024;
  /** 524,300 rows of 4,096 bytes: 2,147,532,828 bytes with the header, just over Integer.MAX_VALUE. */
  private static final int ROWS = 524_300;

  @TempDir
  Path tmp;

  private static float value(int row, int column) {
    return row + column / 1024f;
  }

  @Test
  void aShardOverTwoGigabytesIsMappedInWindowsAndReadsBackExactly() throws Exception {
    List<String> ids = new ArrayList<>(ROWS);
    for (int r = 0; r < ROWS; r++) {
      ids.add(Integer.toString(r));
    }
    Path dir = tmp.resolve("large");
    VectorWriterConfig config = new VectorWriterConfig(DIMENSION, ROWS, false, JsonLines.MAPPER.createObjectNode());
    try (VectorWriter writer = VectorWriter.open(dir, ids, config)) {
      float[][] batch = new float[1024][DIMENSION];
      for (int first = 0; first < ROWS; first += batch.length) {
        int n = Math.min(batch.length, ROWS - first);
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < DIMENSION; j++) {
            batch[i][j] = value(first + i, j);
          }
        }
        writer.append(n == batch.length ? batch : Arrays.copyOf(batch, n));
      }
      writer.finish();
    }
    assertThat(Files.size(dir.resolve("shard-00000.vec"))).isGreaterThan(Integer.MAX_VALUE);

    try (VectorReader reader = VectorReader.open(dir)) {
      List<VectorReader.Block> blocks = reader.blocks();
      assertThat(blocks).hasSize(2);
      assertThat(blocks.get(0).rows() + blocks.get(1).rows()).isEqualTo(ROWS);
      int boundary = blocks.get(1).firstRow();
      for (int row : new int[] {0, boundary - 1, boundary, ROWS - 1}) {
        float[] v = reader.vector(row);
        assertThat(v[0]).isEqualTo(value(row, 0));
        assertThat(v[DIMENSION - 1]).isEqualTo(value(row, DIMENSION - 1));
      }
      FloatBuffer last = blocks.get(1).vectors();
      assertThat(last.get(last.limit() - 1)).isEqualTo(value(ROWS - 1, DIMENSION - 1));
      assertThat(reader.ids().get(ROWS - 1)).isEqualTo(Integer.toString(ROWS - 1));
    }
  }
}
