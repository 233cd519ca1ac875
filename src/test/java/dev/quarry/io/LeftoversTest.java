package dev.quarry.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scratch left by killed writers is deleted by the next writer of the same target; a live writer's is kept. */
class LeftoversTest {
  @TempDir
  Path tmp;

  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    assertThat(Leftovers.alive(p.pid())).isFalse();
    return p.pid();
  }

  @Test
  void claimingDeletesDeadWritersScratchAndKeepsLiveOnes() throws Exception {
    long dead = deadPid();
    long live = ProcessHandle.current().parent().orElseThrow().pid();
    Path target = tmp.resolve("index");
    Path deadFolder = tmp.resolve("index.building-" + dead);
    Files.createDirectories(deadFolder.resolve("segments"));
    Files.writeString(deadFolder.resolve("segments/_0.cfs"), "half");
    Path liveFolder = Files.createDirectories(tmp.resolve("index.building-" + live));
    Path otherKind = Files.createDirectories(tmp.resolve("index.importing-" + dead));
    Path unrelated = Files.createDirectories(tmp.resolve("index.building-notapid"));

    Path mine = Leftovers.claim(target, "building");

    assertThat(mine.getFileName().toString()).isEqualTo("index.building-" + ProcessHandle.current().pid());
    assertThat(deadFolder).doesNotExist();
    assertThat(liveFolder).exists();
    assertThat(otherKind).as("another kind of scratch is its writer's to sweep").exists();
    assertThat(unrelated).exists();
  }

  @Test
  void atomicOutputSweepsTheTemporaryFilesOfKilledWriters() throws Exception {
    long dead = deadPid();
    Path target = tmp.resolve("run.trec");
    Path stale = tmp.resolve(".run.trec.tmp-" + dead + "-7");
    Files.writeString(stale, "half a run");
    AtomicOutput.writeString(target, "q1 Q0 d1 1 1.0 t\n");
    assertThat(stale).doesNotExist();
    assertThat(target).hasContent("q1 Q0 d1 1 1.0 t");
    try (var entries = Files.list(tmp)) {
      assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("run.trec");
    }
  }
}
