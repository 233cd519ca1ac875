package dev.quarry.bm25;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.quarry.cli.QuarryCli;
import dev.quarry.testing.SharedData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code kill -9} while BM25 indexes SciFact: the child leaves {@code bm25/<key>.building-<pid>}; the next
 * {@code bm25} deletes it, builds the index again and writes the same run as an uninterrupted one.
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
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), QuarryCli.class.getName(), "bm25", "--dataset", scifact,
        "--split", "test", "--run", tmp.resolve("killed.trec").toString(), "--cache", cache.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    String suffix = ".building-" + child.pid();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (scratch(cache, suffix) == null) {
        if (!child.isAlive()) {
          fail("the child exited with " + child.exitValue() + " before building:\n" + Files.readString(log));
        }
        if (System.nanoTime() > deadline) {
          fail("no index build started after 60 s:\n" + Files.readString(log));
        }
        Thread.sleep(1);
      }
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("the child died").isTrue();
    }
    Path left = scratch(cache, suffix);
    assertThat(left).as("what the killed build left").isNotNull();
    assertThat(tmp.resolve("killed.trec")).doesNotExist();

    Path resumed = tmp.resolve("resumed.trec");
    assertThat(quarry("bm25", "--dataset", scifact, "--split", "test", "--run", resumed.toString(), "--cache",
        cache.toString())).isZero();
    assertThat(left).as("swept by the next build").doesNotExist();
    try (Stream<Path> entries = Files.list(cache.resolve("bm25"))) {
      assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".building-"));
    }
    Path clean = tmp.resolve("clean.trec");
    assertThat(quarry("bm25", "--dataset", scifact, "--split", "test", "--run", clean.toString(), "--cache",
        tmp.resolve("clean-cache").toString())).isZero();
    assertThat(Files.readString(resumed)).isEqualTo(Files.readString(clean));
  }

  private static Path scratch(Path cache, String suffix) throws Exception {
    Path bm25 = cache.resolve("bm25");
    if (!Files.isDirectory(bm25)) {
      return null;
    }
    try (Stream<Path> entries = Files.list(bm25)) {
      return entries.filter(p -> p.getFileName().toString().endsWith(suffix)).findFirst().orElse(null);
    }
  }
}
