package dev.quarry.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real datasets in ../shared/datasets (surefire passes the folder as -Dquarry.shared). */
public final class SharedData {
  private SharedData() {
  }

  public static Path datasets() {
    Path shared = Path.of(System.getProperty("quarry.shared", "../shared"));
    Path datasets = shared.resolve("datasets");
    if (!Files.isDirectory(datasets.resolve("scifact"))) {
      throw new IllegalStateException("the shared datasets are missing: expected " + datasets.toAbsolutePath()
          + "/scifact (clone Quarry beside the shared/ folder, or pass -Dquarry.shared=DIR)");
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
