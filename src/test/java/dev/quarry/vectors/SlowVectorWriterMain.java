package dev.quarry.vectors;

import java.nio.file.Path;

/**
 * A child JVM for {@link VectorWriterKillTest}: writes the seeded rows of {@link VectorFixtures} slowly, so that
 * the test can kill it with {@code kill -9} in the middle of a shard.
 *
 * <p>Arguments: folder, seed, count, dimension, shard size, batch, milliseconds to sleep after each batch.
 */
public final class SlowVectorWriterMain {
  private SlowVectorWriterMain() {
  }

  public static void main(String[] args) throws InterruptedException {
    Path dir = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    int count = Integer.parseInt(args[2]);
    int dimension = Integer.parseInt(args[3]);
    int shardSize = Integer.parseInt(args[4]);
    int batch = Integer.parseInt(args[5]);
    long sleepMillis = Long.parseLong(args[6]);
    VectorWriterConfig config = VectorFixtures.config(seed, dimension, shardSize, false);
    try (VectorWriter writer = VectorWriter.open(dir, VectorFixtures.ids(count), config)) {
      for (int row = writer.resumeFrom(); row < count; row += batch) {
        writer.append(VectorFixtures.rows(seed, row, Math.min(row + batch, count), dimension, false));
        Thread.sleep(sleepMillis);
      }
      writer.finish();
    }
  }
}
