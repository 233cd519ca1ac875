package dev.quarry.cli;

import dev.quarry.data.Dataset;
import dev.quarry.model.InferenceEngine;
import dev.quarry.teacher.Judges;
import dev.quarry.util.Progress;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of the commands that score pairs with a judge (a cross-encoder or a fitted teacher): the judge, the
 * batch size, the engine, the cache and the threads. The run the judge scores, where there is one, is
 * {@link RunInputOption}.
 */
public final class JudgeOptions {
  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "Cross-encoder directory, or a teacher folder (teacher.json, from `quarry teacher`).")
  public Path model;

  @Option(names = "--batch-size", defaultValue = "32", description = "Pairs per forward pass (default ${DEFAULT-VALUE}).")
  public int batchSize;

  @Mixin
  EngineOption engine = new EngineOption();

  @Mixin
  CacheOption cache = new CacheOption();

  @Mixin
  ThreadsOption threads = new ThreadsOption();

  public InferenceEngine engine() {
    return engine.get();
  }

  public Path cacheRoot() {
    return cache.root();
  }

  /** The judge {@code --model} holds, over {@code dataset}'s corpus. */
  public Judges.Opened open(Dataset dataset, Progress progress) {
    return Judges.open(model, batchSize, engine.get(), dataset, cache.root(), progress);
  }
}
