package dev.quarry.mine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.cli.QuarryCli;
import dev.quarry.testing.KilledChild;
import dev.quarry.testing.SharedData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code kill -9} while {@code mine} writes its training groups: the earlier output stays as it was, the
 * child's scratch file ({@code .<name>.tmp-<pid>-<n>}) is swept by the next run, which writes the same bytes as a
 * run never interrupted.
 */
class MineKillTest {
  @TempDir
  Path tmp;

  private static int quarry(String... args) {
    return QuarryCli.run(args, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
  }

  @Test
  void miningKilledWhileWritingKeepsTheEarlierOutputAndTheNextRunWritesTheSameGroups() throws Exception {
    String scifact = SharedData.scifact().toString();
    Path run = tmp.resolve("train.trec");
    assertThat(quarry("bm25", "--dataset", scifact, "--split", "train", "--hits", "100", "--output", run.toString(),
        "--cache", tmp.resolve("cache").toString())).isZero();
    String[] mine = {"mine", "--dataset", scifact, "--split", "train", "--run", run.toString(), "--to", "100",
        "--negatives", "80", "--random", "20", "--output", tmp.resolve("groups.jsonl").toString()};
    Path groups = tmp.resolve("groups.jsonl");
    Files.writeString(groups, "an earlier output\n");

    long pid = KilledChild.killWhen(p -> size(scratch(p)) > (1 << 20), tmp.resolve("child.log"), mine);
    assertThat(Files.readString(groups)).as("the earlier output").isEqualTo("an earlier output\n");
    assertThat(scratch(pid)).as("what the killed run left").isNotNull();

    assertThat(quarry(mine)).isZero();
    try (Stream<Path> entries = Files.list(tmp)) {
      assertThat(entries.map(p -> p.getFileName().toString())).as("swept by the next run")
          .noneMatch(n -> n.contains(".tmp-"));
    }
    Path clean = tmp.resolve("clean.jsonl");
    mine[mine.length - 1] = clean.toString();
    assertThat(quarry(mine)).isZero();
    assertThat(Files.mismatch(groups, clean)).as("first differing byte").isEqualTo(-1);
  }

  /** The scratch file a {@code mine} by process {@code pid} is writing, or null. */
  private Path scratch(long pid) {
    try (Stream<Path> entries = Files.list(tmp)) {
      return entries.filter(p -> p.getFileName().toString().startsWith(".groups.jsonl.tmp-" + pid + "-"))
          .findFirst().orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long size(Path file) {
    try {
      return file == null ? -1 : Files.size(file);
    } catch (IOException e) {
      return -1;   // renamed or deleted between the listing and now
    }
  }
}
