package dev.quarry.cli;

import dev.quarry.model.InferenceEngine;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How a command runs a dense encoder (a picocli mixin): texts per forward pass, the engine, and the cache imported
 * models and corpus vectors live in. {@code --threads} stays its own mixin ({@link ThreadsOption}).
 */
public final class EncodingOptions {
  @Option(names = "--batch-size", defaultValue = "32", description = "Texts per forward pass (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Mixin
  EngineOption engine = new EngineOption();

  @Mixin
  CacheOption cache = new CacheOption();

  /** {@code --batch-size}, checked to be positive. */
  public int batchSize() {
    return Flags.positive(batchSize, "--batch-size");
  }

  public InferenceEngine engine() {
    return engine.get();
  }

  public Path cacheRoot() {
    return cache.root();
  }
}
