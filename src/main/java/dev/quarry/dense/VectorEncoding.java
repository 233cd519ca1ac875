package dev.quarry.dense;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.model.TextEncoder;
import dev.quarry.util.Progress;
import dev.quarry.vectors.VectorWriter;
import dev.quarry.vectors.VectorWriterConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * Encodes texts into a vectors artifact, one shard-sized chunk at a time, so a killed job resumes at its first
 * unfinished shard. Within a chunk, texts are batched by length (see {@link TextEncoder#encode}).
 */
public final class VectorEncoding {
  private VectorEncoding() {
  }

  /**
   * What one call did.
   *
   * @param count rows in the artifact
   * @param resumedFrom rows already written by an earlier run
   * @param realTokenFraction real tokens over padded tokens in the batches encoded by this call
   * @param seconds wall time of this call
   */
  public record Result(Path dir, int count, int resumedFrom, double realTokenFraction, double seconds) {
  }

  public static Result encode(TextEncoder encoder, TextEncoder.Side side, List<String> ids, List<String> texts,
      Path output, int batchSize, int shardSize, ObjectNode producer, Progress progress) {
    if (ids.size() != texts.size()) {
      throw new IllegalArgumentException(ids.size() + " ids but " + texts.size() + " texts");
    }
    long start = System.nanoTime();
    VectorWriterConfig config = new VectorWriterConfig(encoder.dimension(), shardSize,
        encoder.recipe().normalize(), producer);
    try (VectorWriter writer = VectorWriter.open(output, ids, config);
        Progress.Task task = progress.start(side == TextEncoder.Side.QUERY ? "encode queries" : "encode passages",
            ids.size())) {
      int from = writer.resumeFrom();
      task.step(from);
      double before = encoder.realTokenFraction();
      for (int chunk = from; chunk < ids.size(); chunk += shardSize) {
        List<String> part = texts.subList(chunk, Math.min(ids.size(), chunk + shardSize));
        writer.append(encoder.encode(side, encoder.tokenize(side, part), batchSize, task));
      }
      writer.finish();
      double fraction = from == ids.size() ? before : encoder.realTokenFraction();
      return new Result(output, ids.size(), from, fraction, (System.nanoTime() - start) / 1e9);
    }
  }
}
