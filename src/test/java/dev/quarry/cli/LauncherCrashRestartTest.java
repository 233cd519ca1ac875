package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * bin/quarry runs a resumable command again after the JVM crashes in native code (exit 134, as the JVM's abort after
 * a libtorch segfault), with a copy of the launcher and a fake JDK whose {@code java} aborts the first {@code CRASHES}
 * times it runs.
 */
class LauncherCrashRestartTest {
  @TempDir
  Path tmp;

  private Path root;
  private Path runs;

  @BeforeEach
  void launcherCopyAndFakeJdk() throws IOException {
    root = tmp.resolve("quarry");
    Files.createDirectories(root.resolve("bin/lib"));
    Files.copy(Path.of("bin/quarry"), root.resolve("bin/quarry"));
    Files.copy(Path.of("bin/lib/jdk.sh"), root.resolve("bin/lib/jdk.sh"));
    Files.createDirectories(root.resolve("target/lib"));
    Files.writeString(root.resolve("target/quarry.jar"), "");   // a build that is not stale (no pom.xml, no src)
    runs = tmp.resolve("runs");
    Path bin = Files.createDirectories(tmp.resolve("jdk/bin"));
    // the fake java: answers the version probe; otherwise counts its runs, aborts (SIGABRT, exit 134) while the count
    // is at most CRASHES, exits with FAIL (default 0) after, and when SLEEP is set waits to be stopped
    String java = """
        #!/bin/sh
        case "$*" in *-XshowSettings*) echo '    java.specification.version = 25' >&2; exit 0 ;; esac
        n=$(cat "$RUNS" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "$RUNS"
        echo "run $n: $*"
        if [ "$n" -le "${CRASHES:-0}" ]; then kill -ABRT $$; fi
        if [ -n "${SLEEP:-}" ]; then
          trap 'echo stopped > "$RUNS.term"; exit 143' TERM
          echo ready > "$RUNS.ready"
          while :; do sleep 0.05; done
        fi
        exit "${FAIL:-0}"
        """;
    for (String tool : new String[] {"java", "javac"}) {
      Path p = bin.resolve(tool);
      Files.writeString(p, java);
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private ProcessBuilder launcher(Map<String, String> env, String... args) {
    List<String> command = new java.util.ArrayList<>(List.of("bash", root.resolve("bin/quarry").toString()));
    command.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("JAVA_HOME", tmp.resolve("jdk").toString());
    pb.environment().put("QUARRY_NO_BUILD", "1");
    pb.environment().put("RUNS", runs.toString());
    pb.environment().remove("QUARRY_CRASH_RESTARTS");
    pb.environment().putAll(env);
    return pb;
  }

  /** Exit status, stdout, stderr. */
  private String[] run(Map<String, String> env, String... args) throws Exception {
    Process p = launcher(env, args).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String[] {String.valueOf(p.exitValue()), out, err};
  }

  private int runCount() throws IOException {
    return Integer.parseInt(Files.readString(runs).strip());
  }

  @Test
  void aResumableCommandRunsAgainAfterNativeCrashes() throws Exception {
    String[] r = run(Map.of("CRASHES", "2"), "train", "--config", "c.yaml");
    assertThat(r[0]).isEqualTo("0");
    assertThat(runCount()).isEqualTo(3);
    assertThat(r[1]).contains("run 3: ").contains("dev.quarry.cli.QuarryCli train --config c.yaml");
    assertThat(r[2]).contains("the JVM crashed in native code (exit 134").contains("restart 1 of 3")
        .contains("restart 2 of 3").doesNotContain("restart 3 of 3");
  }

  @Test
  void aCrashThatRepeatsGivesUpWithTheCrashStatus() throws Exception {
    String[] r = run(Map.of("CRASHES", "9", "QUARRY_CRASH_RESTARTS", "1"), "train-reader");
    assertThat(r[0]).isEqualTo("134");
    assertThat(runCount()).isEqualTo(2);
    assertThat(r[2]).contains("restart 1 of 1").contains("gave up after 1 restarts");
  }

  @Test
  void otherCommandsAndOtherFailuresAreNotRunAgain() throws Exception {
    assertThat(run(Map.of("CRASHES", "1"), "eval")[0]).as("not resumable").isEqualTo("134");
    assertThat(runCount()).isEqualTo(1);
    Files.delete(runs);
    assertThat(run(Map.of("FAIL", "1"), "train")[0]).as("the command's own failure").isEqualTo("1");
    assertThat(runCount()).isEqualTo(1);
    Files.delete(runs);
    assertThat(run(Map.of("CRASHES", "1", "QUARRY_CRASH_RESTARTS", "0"), "train")[0]).isEqualTo("134");
    assertThat(runCount()).isEqualTo(1);
    String[] bad = run(Map.of("QUARRY_CRASH_RESTARTS", "often"), "train");
    assertThat(bad[0]).isEqualTo("2");
    assertThat(bad[2]).contains("QUARRY_CRASH_RESTARTS must be a non-negative integer, found 'often'");
  }

  @Test
  void stoppingTheLauncherStopsTheCommand() throws Exception {
    Process p = launcher(Map.of("SLEEP", "1"), "pipeline").start();
    Path ready = Path.of(runs + ".ready");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(ready) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(ready).exists();
    p.destroy();   // SIGTERM to the launcher, which forwards it
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(143);
    assertThat(Path.of(runs + ".term")).hasContent("stopped");
    assertThat(runCount()).as("a stop is not a crash").isEqualTo(1);
  }

  @Test
  void theLaunchersResumableCommandsAreExactlyThoseMarkedResumable() throws Exception {
    Matcher m = Pattern.compile("(?m)^resumable=\"([^\"]+)\"").matcher(Files.readString(Path.of("bin/quarry")));
    assertThat(m.find()).isTrue();
    List<String> named = Arrays.asList(m.group(1).split(" "));
    assertThat(named).contains("train", "pipeline", "train-reader");
    List<String> marked = new CommandLine(QuarryCli.class).getSubcommands().entrySet().stream()
        .filter(e -> e.getValue().getCommandSpec().userObject() instanceof Resumable).map(Map.Entry::getKey).toList();
    assertThat(named).containsExactlyInAnyOrderElementsOf(marked);
  }
}
