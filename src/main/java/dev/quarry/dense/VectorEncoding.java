package dev.quarry.dense;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.model.TextEncoder;
import dev.quarry.util.Progress;
import dev.quarry.vectors.VectorWriter;
import dev.quarry.vectors.VectorWriterConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

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

  /** The texts to encode, fed in order: a list, or a corpus read from disk passage by passage (never all held). */
  @FunctionalInterface
  public interface Texts {
    void forEach(Consumer<String> sink);
  }

  /** Encodes {@code texts[i]} as the row of {@code ids[i]}. */
  public static Result encode(TextEncoder encoder, TextEncoder.Side side, List<String> ids, List<String> texts,
      Path output, int batchSize, int shardSize, ObjectNode producer, Progress progress) {
    if (ids.size() != texts.size()) {
      throw new IllegalArgumentException(ids.size() + " ids but " + texts.size() + " texts");
    }
    return encode(encoder, side, ids, texts::forEach, output, batchSize, shardSize, producer, progress);
  }

  /**
   * Encodes the texts {@code texts} feeds, the {@code i}-th as the row of {@code ids[i]}, holding one shard's texts at a
   * time; texts before the resume point are skipped unread by the encoder.
   */
  public static Result encode(TextEncoder encoder, TextEncoder.Side side, List<String> ids, Texts texts,
      Path output, int batchSize, int shardSize, ObjectNode producer, Progress progress) {
    long start = System.nanoTime();
    VectorWriterConfig config = new VectorWriterConfig(encoder.dimension(), shardSize,
        encoder.recipe().normalize(), producer);
    try (VectorWriter writer = VectorWriter.open(output, ids, config);
        Progress.Task task = progress.start(side == TextEncoder.Side.QUERY ? "encode queries" : "encode passages",
            ids.size())) {
      int from = writer.resumeFrom();
      task.step(from);
      double before = encoder.realTokenFraction();
      if (from < ids.size()) {
        List<String> chunk = new ArrayList<>(Math.min(shardSize, ids.size() - from));
        int[] seen = {0};
        texts.forEach(text -> {
          int i = seen[0]++;
          if (i >= ids.size()) {
            throw new IllegalArgumentException(ids.size() + " ids but more texts");
          }
          if (i < from) {
            return;
          }
          chunk.add(text);
          if (chunk.size() == shardSize || i == ids.size() - 1) {
            writer.append(encoder.encode(side, encoder.tokenize(side, chunk), batchSize, task));
            chunk.clear();
          }
        });
        if (seen[0] != ids.size()) {
          throw new IllegalArgumentException(ids.size() + " ids but " + seen[0] + " texts");
        }
      }
      writer.finish();
      double fraction = from == ids.size() ? before : encoder.realTokenFraction();
      return new Result(output, ids.size(), from, fraction, (System.nanoTime() - start) / 1e9);
    }
  }
}
