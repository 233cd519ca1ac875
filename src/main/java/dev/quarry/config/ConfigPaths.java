package dev.quarry.config;

import java.nio.file.Files;
import java.nio.file.Path;

/** How a path in a config file is found: as given (absolute, or relative to the working directory), else beside the config. */
public final class ConfigPaths {
  private ConfigPaths() {
  }

  public static Path resolve(Path p, Path configFile) {
    if (p.isAbsolute() || Files.exists(p)) {
      return p;
    }
    Path beside = configFile.toAbsolutePath().getParent().resolve(p);
    return Files.exists(beside) ? beside : p;
  }
}
