package dev.quarry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.quarry.cli.QuarryCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

/**
 * A {@code bin/quarry} command in a child JVM (the test class path), killed with SIGKILL once a condition on the
 * file system holds: the real {@code kill -9} of the kill tests. No shutdown hook or finally block runs in the child.
 */
public final class KilledChild {
  private KilledChild() {
  }

  /**
   * Starts {@code quarry args...}, waits (at most 60 s) until {@code ready} holds for the child's pid, kills it and
   * waits for it to die; fails with the child's output if it exits first or never gets ready. Returns the child's pid,
   * which names its scratch files.
   */
  public static long killWhen(LongPredicate ready, Path log, String... args) throws Exception {
    Process child = start(log, args);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!ready.test(child.pid())) {
        if (!child.isAlive()) {
          fail("the child exited with " + child.exitValue() + " before it was ready:\n" + Files.readString(log));
        }
        if (System.nanoTime() > deadline) {
          fail("the child was not ready after 60 s:\n" + Files.readString(log));
        }
        Thread.sleep(1);
      }
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("the child died").isTrue();
    }
    return child.pid();
  }

  /** Starts {@code quarry args...} in a child JVM on the test class path, its stdout and stderr into {@code log}. */
  public static Process start(Path log, String... args) throws java.io.IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), QuarryCli.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }
}
