package dev.quarry.dense;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.data.PassageStore;
import dev.quarry.io.Folders;
import dev.quarry.io.JsonLines;
import dev.quarry.model.TextEncoder;
import dev.quarry.util.Progress;
import dev.quarry.vectors.VectorReader;
import dev.quarry.vectors.VectorWriterConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A corpus encoded with a model's weights of the moment (a training-time dev evaluation, an ANCE refresh) into a
 * scratch vectors artifact and searched memory-mapped: the passages stream from the {@link PassageStore} a shard at a
 * time and neither their texts, their tokens nor their vectors are ever all on the heap; only the ids are. The
 * caller deletes the artifact when its search is done.
 */
public final class CorpusVectors {
  private CorpusVectors() {
  }

  /**
   * Encodes {@code corpus} (rows {@code ids}, in corpus order) into a scratch artifact at {@code scratch}, replacing
   * what is there; {@code progress} sees the encoding (a cancellable caller checks in its steps). Open it with
   * {@link VectorReader#open(Path, VectorReader.Verification)} and an index from {@link
   * dev.quarry.index.VectorIndexes#open}, and {@link #delete} it when done.
   */
  public static Path encode(TextEncoder encoder, PassageStore corpus, List<String> ids, Path scratch, int batchSize,
      Progress progress) {
    delete(scratch);
    ObjectNode producer = JsonLines.MAPPER.createObjectNode();
    producer.put("tool", "quarry");
    producer.put("side", "passages");
    producer.put("purpose", "scratch: the weights of a training step");
    VectorEncoding.encode(encoder, TextEncoder.Side.PASSAGE, ids,
        sink -> corpus.forEach(p -> sink.accept(p.titleAndText())), scratch, batchSize,
        VectorWriterConfig.DEFAULT_SHARD_SIZE, producer, progress);
    return scratch;
  }

  /** Deletes a scratch artifact; nothing happens if there is none. */
  public static void delete(Path scratch) {
    try {
      Folders.deleteTree(scratch);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the scratch vectors in " + scratch, e);
    }
  }

  /** The ids of a corpus on disk, in corpus order (the rows of the artifacts this class writes). */
  public static List<String> ids(PassageStore corpus) {
    List<String> ids = new ArrayList<>(corpus.size());
    corpus.forEach(p -> ids.add(p.id()));
    return ids;
  }
}
