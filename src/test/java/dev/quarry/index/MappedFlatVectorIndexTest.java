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

  @Test
  void partsOfTheRowsMergedByScoreGiveTheWholeIndexsHitsWithTiesInTrecOrder() {
    Random random = new Random(seed);
    int n = 1000;
    float[][] vectors = gaussian(random, n, 6);
    for (int d = 0; d < 6; d++) {
      vectors[3][d] *= 100;   // long, so its copies are query 0's top 12 whatever the seed
    }
    for (int i = 0; i < n; i += 97) {
      vectors[i] = vectors[3].clone();   // ties across parts, broken by id
    }
    float[][] queries = gaussian(random, 12, 6);
    queries[0] = vectors[3].clone();
    List<String> ids = ids(n);
    int[] cuts = {0, 1, 299, 300, 777, n};   // parts cut inside blocks of 130 rows, one of a single row
    try (VectorReader reader = VectorReader.open(write(ids, vectors, 130));
        FlatVectorIndex whole = FlatVectorIndex.mapped(reader, Similarity.DOT_PRODUCT, 2)) {
      List<List<dev.quarry.data.ScoredDoc>> merged = new java.util.ArrayList<>();
      for (int q = 0; q < queries.length; q++) {
        merged.add(new java.util.ArrayList<>());
      }
      for (int p = 0; p + 1 < cuts.length; p++) {
        try (FlatVectorIndex part = FlatVectorIndex.mapped(reader, cuts[p], cuts[p + 1], Similarity.DOT_PRODUCT, 1)) {
          assertThat(part.size()).isEqualTo(cuts[p + 1] - cuts[p]);
          List<List<dev.quarry.data.ScoredDoc>> hits = part.search(queries, 30, Progress.NONE);
          for (int q = 0; q < queries.length; q++) {
            merged.get(q).addAll(hits.get(q));
          }
        }
      }
      List<List<dev.quarry.data.ScoredDoc>> expected = whole.search(queries, 30, Progress.NONE);
      for (int q = 0; q < queries.length; q++) {
        assertThat(dev.quarry.data.TrecOrder.sorted(merged.get(q)).subList(0, 30)).isEqualTo(expected.get(q));
      }
      double tie = expected.get(0).stream().filter(h -> h.docId().equals("d3")).findFirst().orElseThrow().score();
      assertThat(expected.get(0).stream().filter(h -> h.score() == tie)).hasSize(12);   // 11 copies and d3, all kept
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> FlatVectorIndex.mapped(reader, 5, 5,
          Similarity.DOT_PRODUCT, 1)).hasMessageContaining("rows 5..5 are not a non-empty part of the 1000 rows");
    }
  }
}
