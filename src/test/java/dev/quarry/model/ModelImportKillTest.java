package dev.quarry.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.quarry.cli.QuarryCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code kill -9} during the import of a bundled model: the child leaves its half-built
 * {@code models/<name>.importing-<pid>} folder; the next use deletes it, imports again, and gets the same weights as
 * an uninterrupted import.
 */
class ModelImportKillTest {
  @TempDir
  Path tmp;

  @Test
  void anImportKilledMidWayIsCleanedUpAndRedoneByTheNextUse() throws Exception {
    Path cache = tmp.resolve("cache");
    Path log = tmp.resolve("child.log");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), QuarryCli.class.getName(), "export", "--model",
        "all-minilm-l6-v2", "--output", tmp.resolve("export").toString(), "--cache", cache.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Path scratch = cache.resolve("models/all-minilm-l6-v2.importing-" + child.pid());
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.exists(scratch)) {   // created before the ONNX file is parsed, which takes seconds
        if (!child.isAlive()) {
          fail("the child exited with " + child.exitValue() + " before importing:\n" + Files.readString(log));
        }
        if (System.nanoTime() > deadline) {
          fail("no import started after 60 s:\n" + Files.readString(log));
        }
        Thread.sleep(1);
      }
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("the child died").isTrue();
    }
    assertThat(scratch).as("what the killed import left").exists();
    assertThat(cache.resolve("models/all-minilm-l6-v2/quarry.json")).doesNotExist();

    Path imported = ModelDirectory.resolve("all-minilm-l6-v2", cache);
    assertThat(scratch).as("swept by the next import").doesNotExist();
    try (Stream<Path> entries = Files.list(cache.resolve("models"))) {
      assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("all-minilm-l6-v2");
    }
    Map<String, NamedTensor> again = Safetensors.read(imported.resolve(ModelDirectory.WEIGHTS));
    Map<String, NamedTensor> clean = Safetensors.read(ModelDirectory.resolve("all-minilm-l6-v2", tmp.resolve("clean"))
        .resolve(ModelDirectory.WEIGHTS));
    assertThat(again.keySet()).isEqualTo(clean.keySet());
    assertThat(again.keySet().stream().filter(n -> !java.util.Arrays.equals(again.get(n).values(),
        clean.get(n).values()))).isEmpty();
  }
}
