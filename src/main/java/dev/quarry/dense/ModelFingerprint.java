package dev.quarry.dense;

import dev.quarry.io.Checksums;
import dev.quarry.model.ModelDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** A model directory's identity for caches: SHA-256 over its config, weights, tokenizer and recipe files. */
public final class ModelFingerprint {
  private ModelFingerprint() {
  }

  public static String of(Path modelDir) {
    return Checksums.sha256(List.of(ModelDirectory.CONFIG, ModelDirectory.WEIGHTS, ModelDirectory.TOKENIZER,
            ModelDirectory.RECIPE).stream()
        .map(modelDir::resolve)
        .map(p -> p.getFileName() + "=" + (Files.exists(p) ? Checksums.sha256(p) : "absent"))
        .collect(Collectors.joining("\n")));
  }
}
