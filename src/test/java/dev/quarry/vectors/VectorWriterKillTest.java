package dev.quarry.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real {@code kill -9}: a child JVM writing vectors is killed mid-shard, and a resumed run ends with the same bytes. */
class VectorWriterKillTest {
  private static final int COUNT = 400;
  private static final int DIMENSION = 16;
  private static final int SHARD_SIZE = 40;
  private static final int BATCH = 4;
  /** 10 batches of a shard take about 150 ms, the 10 shards about 1.5 s. */
  private static final long SLEEP_MILLIS = 15;

  @TempDir
  Path tmp;

  @Test
  void aWriterKilledMidShardResumesAndEndsWithTheSameBytesAsAnUninterruptedRun() throws Exception {
    long seed = VectorFixtures.seed("aWriterKilledMidShardResumesAndEndsWithTheSameBytesAsAnUninterruptedRun");
    Path dir = tmp.resolve("killed");
    Path log = tmp.resolve("child.log");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), SlowVectorWriterMain.class.getName(), dir.toString(),
        Long.toString(seed), Integer.toString(COUNT), Integer.toString(DIMENSION), Integer.toString(SHARD_SIZE),
        Integer.toString(BATCH), Long.toString(SLEEP_MILLIS))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      waitForFirstShard(child, dir, log);
      Thread.sleep(3 * SLEEP_MILLIS);   // into the middle of the next shard
    } finally {
      child.destroyForcibly();   // SIGKILL: no shutdown hooks, no finally blocks in the child
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("the child died").isTrue();
    }
    assertThat(child.exitValue()).as("killed by a signal").isNotZero();
    List<String> left = VectorFixtures.names(dir);
    assertThat(left).as("killed before finishing").doesNotContain("manifest.json").contains("progress.json",
        "shard-00000.done");

    int resumedFrom;
    VectorWriterConfig config = VectorFixtures.config(seed, DIMENSION, SHARD_SIZE, false);
    List<String> ids = VectorFixtures.ids(COUNT);
    try (VectorWriter writer = VectorWriter.open(dir, ids, config)) {
      resumedFrom = writer.resumeFrom();
      VectorFixtures.append(writer, seed, resumedFrom, COUNT, 7, config);
      writer.finish();
    }
    long doneFiles = left.stream().filter(n -> n.endsWith(".done")).count();
    assertThat(resumedFrom).as("files left by the child: " + left).isEqualTo(doneFiles * SHARD_SIZE)
        .isPositive().isLessThan(COUNT);

    Path uninterrupted = tmp.resolve("uninterrupted");
    VectorFixtures.writeAll(uninterrupted, ids, config, seed, 9);
    VectorFixtures.assertSameFiles(uninterrupted, dir);
    try (VectorReader reader = VectorReader.open(dir)) {
      assertThat(reader.vector(COUNT - 1)).containsExactly(VectorFixtures.row(seed, COUNT - 1, DIMENSION, false));
    }
  }

  private static void waitForFirstShard(Process child, Path dir, Path log) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!Files.exists(dir.resolve(VectorsFormat.doneFile(0)))) {
      if (!child.isAlive()) {
        fail("the child exited with " + child.exitValue() + " before writing a shard:\n" + Files.readString(log));
      }
      if (System.nanoTime() > deadline) {
        fail("no shard written after 15 s:\n" + Files.readString(log));
      }
      Thread.sleep(2);
    }
  }
}
