package dev.quarry.dense;

import dev.quarry.io.Checksums;
import dev.quarry.model.ModelDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A model directory's identity for caches: SHA-256 over its config, weights, tokenizer and recipe files (for a dual
 * encoder, over its own recipe and both towers' fingerprints).
 */
public final class ModelFingerprint {
  private ModelFingerprint() {
  }

  public static String of(Path modelDir) {
    if (ModelDirectory.isDualEncoder(modelDir)) {
      return Checksums.sha256("dual\n" + Checksums.sha256(modelDir.resolve(ModelDirectory.RECIPE)) + "\n"
          + of(modelDir.resolve(ModelDirectory.QUERY_TOWER)) + "\n" + of(modelDir.resolve(ModelDirectory.PASSAGE_TOWER)));
    }
    return Checksums.sha256(List.of(ModelDirectory.CONFIG, ModelDirectory.WEIGHTS, ModelDirectory.TOKENIZER,
            ModelDirectory.RECIPE).stream()
        .map(modelDir::resolve)
        .map(p -> p.getFileName() + "=" + (Files.exists(p) ? Checksums.sha256(p) : "absent"))
        .collect(Collectors.joining("\n")));
  }
}
