package dev.quarry.cli;

import dev.quarry.util.QuarryPaths;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --cache DIR}: where indexes, imported models and corpus vectors are cached (a picocli mixin). */
public final class CacheOption {
  @Option(names = "--cache", paramLabel = "DIR",
      description = "Cache of indexes, imported models and corpus vectors (default: $QUARRY_CACHE or ~/.cache/quarry).")
  Path cache;

  /** The folder given, or the default cache. */
  public Path root() {
    return cache != null ? cache : QuarryPaths.cacheRoot();
  }
}
