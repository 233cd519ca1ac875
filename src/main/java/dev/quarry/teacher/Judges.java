package dev.quarry.teacher;

import dev.quarry.data.Dataset;
import dev.quarry.io.Checksums;
import dev.quarry.model.InferenceEngine;
import dev.quarry.rerank.CrossEncoder;
import dev.quarry.rerank.PairJudge;
import dev.quarry.util.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Opens the judge a directory holds: a fitted teacher ({@code teacher.json}) or a cross-encoder. */
public final class Judges {
  private Judges() {
  }

  /** A judge, the directory it was opened from, and what must be closed when done with it. */
  public record Opened(PairJudge judge, Path dir, Runnable closer) implements AutoCloseable {
    /**
     * What a score cache records of this judge, so scores of another judge are never taken for this one's
     * ({@link Judges#fingerprint}); computed when asked, since it reads the judge's weights.
     */
    public String fingerprint() {
      String files = Judges.fingerprint(dir);
      return judge instanceof Teacher teacher ? Checksums.sha256(files + "\n" + teacher.membersFingerprint()) : files;
    }

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
      return new Opened(teacher, dir, teacher::close);
    }
    if (CrossEncoder.isCrossEncoder(dir)) {
      CrossEncoder ce = CrossEncoder.load(dir, engine);
      return new Opened(ce.judge(batchSize), dir, ce::close);
    }
    throw new IllegalArgumentException(dir + " is neither a teacher (no " + FittedTeacher.FILE + ") nor a "
        + "cross-encoder directory (its quarry.json must have format quarry-cross-encoder/1)");
  }

  /**
   * SHA-256 over the names and contents of the regular files directly in {@code dir} (sorted by name): a
   * cross-encoder's weights, config and calibration; a teacher's {@code teacher.json}, which names its members, their
   * fusion weights and its calibration ({@link Opened#fingerprint} adds the members' own fingerprints, so a member
   * directory retrained in place is seen). A few hundred milliseconds for a small cross-encoder.
   */
  public static String fingerprint(Path dir) {
    StringBuilder parts = new StringBuilder();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        parts.append(f.getFileName()).append('\t').append(Checksums.sha256(f)).append('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    return Checksums.sha256(parts.toString());
  }
}
