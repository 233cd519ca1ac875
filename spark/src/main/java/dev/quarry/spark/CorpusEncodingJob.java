package dev.quarry.spark;

import dev.quarry.data.Dataset;
import dev.quarry.data.DatasetFormat;
import dev.quarry.data.Datasets;
import dev.quarry.data.Passage;
import dev.quarry.data.PassageStore;
import dev.quarry.dense.DenseRetriever;
import dev.quarry.dense.ModelFingerprint;
import dev.quarry.model.InferenceEngine;
import dev.quarry.model.TextEncoder;
import dev.quarry.util.Progress;
import dev.quarry.vectors.VectorWriter;
import dev.quarry.vectors.VectorWriterConfig;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A dataset's corpus encoded into a vectors artifact by Spark tasks, one shard per task: the same artifact, byte for
 * byte, as {@code quarry encode} with the same model, engine, batch size and shard size, because a task encodes
 * exactly the chunk the single-node encoder would (one shard's passages, batched by length within it).
 *
 * <p>The driver opens the artifact's {@link VectorWriter} (so a rerun resumes: shards already complete are not
 * handed out again), the tasks read their passages by position from the corpus's {@link PassageStore} and write
 * their shards with {@link VectorWriter#writeShard}, and the driver takes them in and writes the manifest. The output
 * folder, the dataset and the cache must be on a filesystem every worker sees (any folder, in {@code local[N]}).
 */
public final class CorpusEncodingJob {
  private CorpusEncodingJob() {
  }

  /** What the tasks need, as plain values. {@code threads}: the engine threads, or null for its default. */
  public record Request(String dataset, DatasetFormat format, String modelDir, InferenceEngine engine,
      String cacheRoot, int batchSize, int shardSize, String threads) implements Serializable {
  }

  /** What a run did: rows in the artifact, rows an earlier run had written, shards this run's tasks wrote. */
  public record Result(Path dir, int count, int resumedFrom, int shardsEncoded, double seconds) {
  }

  public static Result run(JavaSparkContext spark, Request request, Path output, int partitions) {
    return run(spark, request, output, partitions, Progress.NONE);
  }

  /**
   * As above; {@code progress} sees the rows of finished shards, watched on the output folder (their {@code .done}
   * entries) every second while the tasks run.
   */
  public static Result run(JavaSparkContext spark, Request request, Path output, int partitions,
      Progress progress) {
    long started = System.nanoTime();
    Dataset data = Datasets.open(Path.of(request.dataset()), request.format());
    List<String> ids = DenseRetriever.corpusIds(data);
    Path modelDir = Path.of(request.modelDir());
    TextEncoder encoder = WorkerResources.encoder(request.modelDir(), request.engine(), request.threads());
    VectorWriterConfig config = new VectorWriterConfig(encoder.dimension(), request.shardSize(),
        encoder.recipe().normalize(), DenseRetriever.producer(modelDir, ModelFingerprint.of(modelDir), encoder,
            data.corpusChecksum(), "passages"));
    try (VectorWriter writer = VectorWriter.open(output, ids, config)) {
      int resumedFrom = writer.resumeFrom();
      List<Integer> pending = writer.pendingShards();
      if (!pending.isEmpty()) {
        VectorWriter.Layout layout = writer.layout();
        String dir = output.toAbsolutePath().toString();
        try (ShardWatch watch = new ShardWatch(output, layout, pending, progress)) {
          TaskFailures.unwrapped(() -> spark.parallelize(pending, Math.max(1, Math.min(partitions, pending.size())))
              .foreach(shard -> encodeShard(request, dir, layout, shard)));
        }
        writer.adoptWrittenShards();
      }
      writer.finish();
      return new Result(output, ids.size(), resumedFrom, pending.size(), (System.nanoTime() - started) / 1e9);
    } finally {
      WorkerResources.closeAll();
    }
  }

  /** One task: shard {@code shard}'s passages, encoded as {@code quarry encode} encodes one chunk. */
  static void encodeShard(Request request, String dir, VectorWriter.Layout layout, int shard) {
    PassageStore store = WorkerResources.passages(request.dataset(), request.format(), request.cacheRoot());
    int first = layout.firstRow(shard);
    int end = layout.endRow(shard);
    List<String> ids = new ArrayList<>(end - first);
    List<String> texts = new ArrayList<>(end - first);
    for (int row = first; row < end; row++) {
      Passage p = store.get(row);
      ids.add(p.id());
      texts.add(p.titleAndText());
    }
    TextEncoder encoder = WorkerResources.encoder(request.modelDir(), request.engine(), request.threads());
    float[][] vectors;
    synchronized (encoder) {
      vectors = encoder.encode(TextEncoder.Side.PASSAGE, encoder.tokenize(TextEncoder.Side.PASSAGE, texts),
          request.batchSize(), Progress.Task.NONE);
    }
    VectorWriter.writeShard(Path.of(dir), layout, shard, ids, vectors);
  }

  /** Steps a progress task by each pending shard's rows once its {@code .done} entry appears, polling every second. */
  private static final class ShardWatch implements AutoCloseable {
    private final java.util.concurrent.ScheduledExecutorService poller =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "quarry-spark-shard-watch");
          t.setDaemon(true);
          return t;
        });
    private final Progress.Task task;
    private final java.util.Set<Integer> waiting;
    private final Path dir;
    private final VectorWriter.Layout layout;

    ShardWatch(Path dir, VectorWriter.Layout layout, List<Integer> pending, Progress progress) {
      this.dir = dir;
      this.layout = layout;
      long rows = pending.stream().mapToLong(k -> layout.endRow(k) - layout.firstRow(k)).sum();
      this.task = progress.start("encode passages (spark)", rows);
      this.waiting = new java.util.concurrent.ConcurrentSkipListSet<>(pending);
      poller.scheduleWithFixedDelay(this::poll, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    private void poll() {
      for (int k : List.copyOf(waiting)) {
        if (VectorWriter.shardDone(dir, k) && waiting.remove(k)) {
          task.step(layout.endRow(k) - layout.firstRow(k));
        }
      }
    }

    @Override
    public void close() {
      poller.shutdownNow();
      try {
        poller.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      poll();   // the shards finished since the last look
      task.close();
    }
  }
}
