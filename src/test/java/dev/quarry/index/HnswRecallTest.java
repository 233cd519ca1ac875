package dev.quarry.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.util.Progress;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * HNSW against flat on clustered synthetic embeddings (20,000 unit vectors of dimension 384 around 200 centers; see
 * {@link ClusteredVectors}), with Lucene's default graph settings and efSearch 100: recall@10 must reach 0.95 for
 * float and 8-bit graphs. Queries are fresh draws from the same clusters, not indexed vectors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HnswRecallTest {
  private static final int N = 20_000;
  private static final int DIM = 384;
  private static final int K = 10;

  private List<String> ids;
  private float[][] vectors;
  private float[][] queries;
  private FlatVectorIndex flat;

  @BeforeAll
  void data() {
    ClusteredVectors clusters = new ClusteredVectors(DIM, 200, 16, 1.0, 0.5, 42);
    vectors = clusters.sample(N, 1);
    queries = clusters.sample(200, 2);
    ids = ClusteredVectors.ids(N);
    flat = FlatVectorIndex.build(ids, vectors, Similarity.COSINE, 2);
  }

  @AfterAll
  void close() {
    flat.close();
  }

  private RecallAtK recall(HnswConfig hnsw) {
    long start = System.nanoTime();
    try (VectorIndex index = VectorIndexes.build(ids, vectors,
        VectorIndexConfig.hnsw(Similarity.COSINE, hnsw).withThreads(2), Progress.NONE)) {
      long built = System.nanoTime();
      RecallAtK recall = RecallAtK.of(flat, index, queries, K);
      double searched = (System.nanoTime() - built) / 1e9;
      // without oversampling (efSearch = k), for the record: the margin that efSearch 100 buys
      RecallAtK bare = RecallAtK.of(flat.search(queries, K, Progress.NONE),
          ((HnswVectorIndex) index).search(queries, K, K, Progress.NONE), K);
      System.out.printf("HnswRecallTest %s: recall@%d %.4f (worst query %.2f; %.4f with efSearch %d), "
          + "build %.1f s, search %.2f s%n", hnsw, K, recall.mean(), recall.min(), bare.mean(), K,
          (built - start) / 1e9, searched);
      assertThat(recall.mean()).isGreaterThanOrEqualTo(bare.mean());
      return recall;
    }
  }

  @Test
  void floatGraphFindsAtLeast95PercentOfTheTrueTop10() {
    assertThat(recall(HnswConfig.DEFAULTS).mean()).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void int8GraphFindsAtLeast95PercentOfTheTrueTop10() {
    assertThat(recall(HnswConfig.DEFAULTS.withInt8Quantized(true)).mean()).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void anExactIndexHasRecallOneAgainstItself() {
    RecallAtK self = RecallAtK.of(flat, flat, queries, K);
    assertThat(self.mean()).isEqualTo(1.0);
    assertThat(self.min()).isEqualTo(1.0);
    assertThat(self.queries()).isEqualTo(queries.length);
  }
}
