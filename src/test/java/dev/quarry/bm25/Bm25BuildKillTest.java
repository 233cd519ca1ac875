package dev.quarry.bm25;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.cli.QuarryCli;
import dev.quarry.testing.KilledChild;
import dev.quarry.testing.SharedData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code kill -9} while BM25 indexes SciFact: the child leaves {@code bm25/<key>.building-<pid>}; the next
 * {@code bm25} deletes it, builds the index again and writes the same run as an uninterrupted one. And two processes
 * building the same index at once: one builds, the other waits on the build lock and uses it.
 */
class Bm25BuildKillTest {
  @TempDir
  Path tmp;

  private static int quarry(String... args) {
    return QuarryCli.run(args, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
  }

  @Test
  void anIndexBuildKilledMidWayIsCleanedUpAndRebuiltToTheSameRun() throws Exception {
    Path cache = tmp.resolve("cache");
    String scifact = SharedData.scifact().toString();
    Path log = tmp.resolve("child.log");
    long pid = KilledChild.killWhen(p -> scratch(cache, p) != null, log, "bm25", "--dataset", scifact, "--split",
        "test", "--output", tmp.resolve("killed.trec").toString(), "--cache", cache.toString());
    Path left = scratch(cache, pid);
    assertThat(left).as("what the killed build left").isNotNull();
    assertThat(tmp.resolve("killed.trec")).doesNotExist();

    Path resumed = tmp.resolve("resumed.trec");
    assertThat(quarry("bm25", "--dataset", scifact, "--split", "test", "--output", resumed.toString(), "--cache",
        cache.toString())).isZero();
    assertThat(left).as("swept by the next build").doesNotExist();
    try (Stream<Path> entries = Files.list(cache.resolve("bm25"))) {
      assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".building-"));
    }
    Path clean = tmp.resolve("clean.trec");
    assertThat(quarry("bm25", "--dataset", scifact, "--split", "test", "--output", clean.toString(), "--cache",
        tmp.resolve("clean-cache").toString())).isZero();
    assertThat(Files.readString(resumed)).isEqualTo(Files.readString(clean));
  }

  @Test
  void twoProcessesBuildingOneIndexAtOnceBuildItOnceAndWriteTheSameRun() throws Exception {
    Path cache = tmp.resolve("cache");
    String scifact = SharedData.scifact().toString();
    Process first = KilledChild.start(tmp.resolve("first.log"), "bm25", "--dataset", scifact, "--split", "test",
        "--output", tmp.resolve("first.trec").toString(), "--cache", cache.toString());
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (scratch(cache, first.pid()) == null && first.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(1);   // start the second process while the first one builds
    }
    Process second = KilledChild.start(tmp.resolve("second.log"), "bm25", "--dataset", scifact, "--split", "test",
        "--output", tmp.resolve("second.trec").toString(), "--cache", cache.toString());
    assertThat(first.waitFor()).as(Files.readString(tmp.resolve("first.log"))).isZero();
    assertThat(second.waitFor()).as(Files.readString(tmp.resolve("second.log"))).isZero();

    assertThat(Files.readString(tmp.resolve("second.trec"))).isEqualTo(Files.readString(tmp.resolve("first.trec")));
    long builds = Stream.of("first.log", "second.log").map(tmp::resolve)
        .filter(log -> readString(log).lines().anyMatch(l -> l.startsWith("index: "))).count();
    assertThat(builds).as("processes that built the index").isEqualTo(1);
    try (Stream<Path> entries = Files.list(cache.resolve("bm25"))) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .allMatch(n -> n.matches("[0-9a-f]{16}(\\.lock)?"), "an index and its lock file, no scratch")
          .hasSize(2);
    }
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The index folder a build by process {@code pid} is writing, or null. */
  private static Path scratch(Path cache, long pid) {
    String suffix = ".building-" + pid;
    Path bm25 = cache.resolve("bm25");
    if (!Files.isDirectory(bm25)) {
      return null;
    }
    try (Stream<Path> entries = Files.list(bm25)) {
      return entries.filter(p -> p.getFileName().toString().endsWith(suffix)).findFirst().orElse(null);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
