package dev.quarry.spark;

import dev.quarry.data.DatasetFormat;
import dev.quarry.data.Datasets;
import dev.quarry.data.PassageStore;
import dev.quarry.model.InferenceEngine;
import dev.quarry.model.TextEncoder;
import dev.quarry.teacher.Judges;
import dev.quarry.util.Progress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a worker JVM opens once and keeps for every task it runs: encoders, judges and passage stores, keyed by what
 * they were opened from. A worker runs its tasks on several threads, so each holder serializes the forward passes of
 * its model ({@code synchronized} on it, by the jobs); the engine's own threads ({@code --threads}) use the cores.
 * In {@code local[N]} the workers are the driver's JVM, which {@link #closeAll} empties after each job.
 */
final class WorkerResources {
  private static final Map<String, AutoCloseable> OPEN = new LinkedHashMap<>();

  private WorkerResources() {
  }

  /** The engine threads a job asks for, set before a worker loads its first model (null: the engine's default). */
  static void threads(String threads) {
    if (threads != null) {
      System.setProperty(dev.quarry.model.Torch.THREADS_PROPERTY, threads);
    }
  }

  static synchronized TextEncoder encoder(String modelDir, InferenceEngine engine, String threads) {
    threads(threads);
    return (TextEncoder) OPEN.computeIfAbsent("encoder\n" + modelDir + "\n" + engine,
        k -> TextEncoder.load(Path.of(modelDir), engine));
  }

  static synchronized PassageStore passages(String dataset, DatasetFormat format, String cacheRoot) {
    return (PassageStore) OPEN.computeIfAbsent("passages\n" + dataset + "\n" + format + "\n" + cacheRoot,
        k -> PassageStore.openOrBuild(Datasets.open(Path.of(dataset), format), Path.of(cacheRoot)));
  }

  static synchronized Judges.Opened judge(String modelDir, int batchSize, InferenceEngine engine, String dataset,
      DatasetFormat format, String cacheRoot, String threads) {
    threads(threads);
    return (Judges.Opened) OPEN.computeIfAbsent(String.join("\n", "judge", modelDir, "" + batchSize, "" + engine,
        dataset, "" + format, cacheRoot), k -> Judges.open(Path.of(modelDir), batchSize, engine,
            Datasets.open(Path.of(dataset), format), Path.of(cacheRoot), Progress.NONE));
  }

  /** Closes everything this JVM holds (native memory, files); the next task opens again. */
  static synchronized void closeAll() {
    List<AutoCloseable> all = new ArrayList<>(OPEN.values());
    OPEN.clear();
    RuntimeException failure = null;
    for (AutoCloseable c : all) {
      try {
        c.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("cannot close a worker resource: " + e.getMessage(), e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
