package dev.quarry.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The real datasets in ../shared/datasets (surefire passes the folder as -Dquarry.shared). Where they are absent, a
 * test that needs them is skipped with a message saying where they were looked for, so a clone without them still
 * runs every other test; under CI (the environment variable {@code CI} set, as CI services do) their absence fails
 * the test instead, so a misplaced folder cannot silently skip the real-data checks.
 */
public final class SharedData {
  private SharedData() {
  }

  public static Path datasets() {
    Path shared = Path.of(System.getProperty("quarry.shared", "../shared"));
    Path datasets = shared.resolve("datasets");
    if (!Files.isDirectory(datasets.resolve("scifact"))) {
      String message = "the shared datasets are missing: expected " + datasets.toAbsolutePath()
          + "/scifact (clone Quarry beside the shared/ folder, or pass -Dquarry.shared=DIR)";
      String ci = System.getenv("CI");
      if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false")) {
        throw new IllegalStateException(message);
      }
      Assumptions.abort(message + "; skipped");
    }
    return datasets;
  }

  public static Path scifact() {
    return datasets().resolve("scifact");
  }

  public static Path squad() {
    return datasets().resolve("squad-v1.1");
  }
}
