package dev.quarry.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.testing.KilledChild;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
    // the scratch folder is created before the ONNX file is parsed, which takes seconds
    long pid = KilledChild.killWhen(p -> Files.exists(scratch(cache, p)), log, "export", "--model", "all-minilm-l6-v2",
        "--output", tmp.resolve("export").toString(), "--cache", cache.toString());
    Path scratch = scratch(cache, pid);
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

  private static Path scratch(Path cache, long pid) {
    return cache.resolve("models/all-minilm-l6-v2.importing-" + pid);
  }
}
