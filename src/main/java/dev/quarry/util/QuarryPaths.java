package dev.quarry.util;

import java.nio.file.Path;

/** Where Quarry keeps caches (indexes, encoded corpora): {@code -Dquarry.cache}, else {@code ~/.cache/quarry}. */
public final class QuarryPaths {
  private QuarryPaths() {
  }

  public static Path cacheRoot() {
    String configured = System.getProperty("quarry.cache");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("quarry");
  }
}
