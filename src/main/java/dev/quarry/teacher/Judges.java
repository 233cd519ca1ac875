package dev.quarry.teacher;

import dev.quarry.data.Dataset;
import dev.quarry.model.InferenceEngine;
import dev.quarry.rerank.CrossEncoder;
import dev.quarry.rerank.PairJudge;
import dev.quarry.util.Progress;
import java.nio.file.Path;

/** Opens the judge a directory holds: a fitted teacher ({@code teacher.json}) or a cross-encoder. */
public final class Judges {
  private Judges() {
  }

  /** A judge and what must be closed when done with it. */
  public record Opened(PairJudge judge, Runnable closer) implements AutoCloseable {
    @Override
    public void close() {
      closer.run();
    }
  }

  /**
   * @param batchSize pairs per forward pass, for a cross-encoder
   * @param engine what runs a cross-encoder (a teacher's dense members run on {@link InferenceEngine#DEFAULT})
   * @throws IllegalArgumentException when {@code dir} holds neither
   */
  public static Opened open(Path dir, int batchSize, InferenceEngine engine, Dataset dataset, Path cacheRoot,
      Progress progress) {
    if (FittedTeacher.isTeacher(dir)) {
      Teacher teacher = Teacher.open(FittedTeacher.load(dir), dataset, cacheRoot, progress);
      return new Opened(teacher, teacher::close);
    }
    if (CrossEncoder.isCrossEncoder(dir)) {
      CrossEncoder ce = CrossEncoder.load(dir, engine);
      return new Opened(ce.judge(batchSize), ce::close);
    }
    throw new IllegalArgumentException(dir + " is neither a teacher (no " + FittedTeacher.FILE + ") nor a "
        + "cross-encoder directory (its quarry.json must have format quarry-cross-encoder/1)");
  }
}
