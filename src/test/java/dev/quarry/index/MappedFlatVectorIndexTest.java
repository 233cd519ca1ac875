package dev.quarry.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.util.Progress;
import dev.quarry.vectors.VectorReader;
import dev.quarry.vectors.VectorWriter;
import dev.quarry.vectors.VectorWriterConfig;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Exact search over a vectors artifact's memory-mapped rows: the whole contract, and the same hits as the heap index
 * across shard and chunk boundaries.
 */
class MappedFlatVectorIndexTest extends VectorIndexContractTest {
  @TempDir
  Path tmp;
  private final AtomicInteger artifacts = new AtomicInteger();

  @Override
  VectorIndex build(List<String> ids, float[][] vectors, Similarity similarity) {
    VectorChecks.checkCorpus(ids, vectors);   // the contract's messages for bad input, before the writer's own
    try (VectorReader reader = VectorReader.open(write(ids, vectors, 7))) {
      return FlatVectorIndex.mapped(reader, similarity, 2);
    }
  }

  /** Writes an artifact of {@code vectors} with {@code shardSize} rows per shard; returns its folder. */
  private Path write(List<String> ids, float[][] vectors, int shardSize) {
    Path dir = tmp.resolve("vectors-" + artifacts.incrementAndGet());
    try (VectorWriter writer = VectorWriter.open(dir, ids,
        new VectorWriterConfig(vectors[0].length, shardSize, false, dev.quarry.io.JsonLines.MAPPER.createObjectNode()))) {
      writer.append(vectors);
      writer.finish();
    }
    if (!Files.isDirectory(dir)) {
      throw new UncheckedIOException(new java.io.IOException("no artifact written in " + dir));
    }
    return dir;
  }

  @ParameterizedTest
  @EnumSource(Similarity.class)
  void givesTheHeapIndexsHitsAcrossShardAndChunkBoundaries(Similarity similarity) {
    Random random = new Random(seed);
    int n = 2 * FlatVectorIndex.CHUNK_ROWS + 900;   // blocks of 1,300 rows: chunks end inside blocks and at their ends
    float[][] vectors = gaussian(random, n, 12);
    float[][] queries = gaussian(random, 40, 12);
    List<String> ids = ids(n);
    try (VectorReader reader = VectorReader.open(write(ids, vectors, 1300));
        FlatVectorIndex mapped = FlatVectorIndex.mapped(reader, similarity, 3);
        FlatVectorIndex heap = FlatVectorIndex.build(ids, vectors, similarity, 3)) {
      assertThat(reader.blocks()).hasSize(3);
      assertThat(mapped.search(queries, 25, Progress.NONE)).isEqualTo(heap.search(queries, 25, Progress.NONE));
      assertThat(mapped.search(queries[0], n)).isEqualTo(heap.search(queries[0], n));
      assertThat(mapped.vector(2500)).containsExactly(heap.vector(2500));
    }
  }

  @Test
  void theIndexOutlivesItsReader() {
    float[][] vectors = gaussian(new Random(seed), 50, 4);
    FlatVectorIndex index;
    try (VectorReader reader = VectorReader.open(write(ids(50), vectors, 20))) {
      index = FlatVectorIndex.mapped(reader, Similarity.COSINE, 1);
    }
    assertThat(index.search(vectors[3], 1).get(0).docId()).isEqualTo("d3");   // cosine: a vector is its own best
  }
}
