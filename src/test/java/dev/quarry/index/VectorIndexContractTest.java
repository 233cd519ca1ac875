package dev.quarry.index;

import dev.quarry.data.TrecOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.quarry.data.ScoredDoc;
import dev.quarry.util.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@link VectorIndex} contract, run against every implementation (in the manner of Lucene's
 * {@code BaseKnnVectorsFormatTestCase}): each subclass says how to build its index and inherits every test. Random
 * data is seeded; the seed is printed and can be replayed with {@code -Dquarry.seed=...}.
 */
abstract class VectorIndexContractTest {
  static long seed;

  /** Builds the index under test. */
  abstract VectorIndex build(List<String> ids, float[][] vectors, Similarity similarity);

  @BeforeAll
  static void pickSeed() {
    seed = Long.getLong("quarry.seed", System.nanoTime());
    System.out.println("VectorIndexContractTest seed: -Dquarry.seed=" + seed);
  }

  static float[][] gaussian(Random random, int n, int dim) {
    float[][] v = new float[n][dim];
    for (float[] row : v) {
      for (int d = 0; d < dim; d++) {
        row[d] = (float) random.nextGaussian();
      }
    }
    return v;
  }

  static List<String> ids(int n) {
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add("d" + i);
    }
    return ids;
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  @Test
  void reportsSizeDimensionAndSimilarity() {
    try (VectorIndex index = build(ids(3), gaussian(new Random(seed), 3, 5), Similarity.DOT_PRODUCT)) {
      assertThat(index.size()).isEqualTo(3);
      assertThat(index.dimension()).isEqualTo(5);
      assertThat(index.similarity()).isEqualTo(Similarity.DOT_PRODUCT);
    }
  }

  @Test
  void everyIndexedVectorFindsItselfFirst() {
    Random random = new Random(seed);
    int n = 600;
    float[][] vectors = gaussian(random, n, 24);
    try (VectorIndex index = build(ids(n), vectors, Similarity.COSINE)) {
      for (int i = 0; i < n; i += 7) {
        List<ScoredDoc> hits = index.search(vectors[i], 3);
        assertThat(hits).as("seed %d, vector %d", seed, i).hasSize(3);
        assertThat(hits.get(0).docId()).as("seed %d, vector %d", seed, i).isEqualTo("d" + i);
        assertThat(hits.get(0).score()).isCloseTo(1.0, within(1e-5));
      }
    }
  }

  @Test
  void askingForMoreThanTheIndexHoldsReturnsEverythingInOrder() {
    Random random = new Random(seed);
    float[][] vectors = gaussian(random, 7, 6);
    float[] query = gaussian(random, 1, 6)[0];
    try (VectorIndex index = build(ids(7), vectors, Similarity.DOT_PRODUCT)) {
      List<ScoredDoc> hits = index.search(query, 100);
      assertThat(hits).extracting(ScoredDoc::docId)
          .containsExactlyInAnyOrder("d0", "d1", "d2", "d3", "d4", "d5", "d6");
      assertThat(hits).isSortedAccordingTo(TrecOrder.BEST_FIRST);
      for (ScoredDoc hit : hits) {
        int i = Integer.parseInt(hit.docId().substring(1));
        assertThat(hit.score()).as("seed %d", seed).isCloseTo(dot(query, vectors[i]), within(1e-4));
      }
      assertThat(index.search(new float[][] {query}, 1000, Progress.NONE).get(0)).isEqualTo(hits);
    }
  }

  @Test
  void aQueryOfAnotherDimensionIsRejectedWithItsDimensions() {
    try (VectorIndex index = build(ids(2), new float[][] {{1, 0, 0, 0}, {0, 1, 0, 0}}, Similarity.DOT_PRODUCT)) {
      assertThatThrownBy(() -> index.search(new float[] {1, 2, 3}, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("query has dimension 3, but the index has dimension 4");
      assertThatThrownBy(() -> index.search(new float[][] {{1, 2, 3, 4}, {1, 2, 3}}, 1, Progress.NONE))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("query 1 has dimension 3, but the index has dimension 4");
      assertThatThrownBy(() -> index.search(new float[] {1, Float.NaN, 0, 0}, 1))
          .hasMessage("query has a non-finite value at position 1: NaN");
      assertThatThrownBy(() -> index.search(new float[] {1, 0, 0, 0}, 0))
          .hasMessage("k must be positive; k=0");
    }
  }

  @Test
  void equalScoresGoByIdDescendingInCodePointOrder() {
    Random random = new Random(seed);
    // "\uD83D\uDE00" (U+1F600) sorts after "\uFFFD" by code point, though before it as UTF-16 chars
    List<String> tied = List.of("d1", "d10", "\uFFFD", "d2", "x", "\uD83D\uDE00", "é");
    int others = 300;
    float[][] vectors = new float[tied.size() + others][];
    List<String> ids = new ArrayList<>();
    float[] shared = gaussian(random, 1, 16)[0];
    for (int i = 0; i < tied.size(); i++) {
      vectors[i] = shared.clone();
      ids.add(tied.get(i));
    }
    float[][] rest = gaussian(random, others, 16);
    for (int i = 0; i < others; i++) {
      vectors[tied.size() + i] = rest[i];
      ids.add("r" + i);
    }
    List<String> expected = List.of("\uD83D\uDE00", "\uFFFD", "é", "x", "d2", "d10", "d1");
    try (VectorIndex index = build(ids, vectors, Similarity.COSINE)) {
      List<ScoredDoc> hits = index.search(shared, 7);
      assertThat(hits).extracting(ScoredDoc::docId).containsExactlyElementsOf(expected);
      assertThat(hits).extracting(ScoredDoc::score).containsOnly(hits.get(0).score());
      // cutting inside the tie keeps the ids that sort first, whatever order they were added in
      assertThat(index.search(shared, 3)).extracting(ScoredDoc::docId).containsExactlyElementsOf(expected.subList(0, 3));
      assertThat(index.search(new float[][] {shared, shared}, 4, Progress.NONE))
          .allSatisfy(h -> assertThat(h).extracting(ScoredDoc::docId).containsExactlyElementsOf(expected.subList(0, 4)));
    }
  }

  @Test
  void cosineNormalizesDocumentsAndQueries() {
    float[][] vectors = {{3, 4, 0}, {0, 0, 10}, {1, 1, 0}};
    try (VectorIndex index = build(List.of("a", "b", "c"), vectors, Similarity.COSINE)) {
      List<ScoredDoc> hits = index.search(new float[] {60, 80, 0}, 3);
      assertThat(hits).extracting(ScoredDoc::docId).containsExactly("a", "c", "b");
      assertThat(hits.get(0).score()).isCloseTo(1.0, within(1e-6));
      assertThat(hits.get(1).score()).isCloseTo(7 / (5 * Math.sqrt(2)), within(1e-6));
      assertThat(hits.get(2).score()).isCloseTo(0.0, within(1e-6));
      assertThat(index.search(new float[] {0, 0, 0.001f}, 1).get(0).score()).isCloseTo(1.0, within(1e-6));
      assertThatThrownBy(() -> index.search(new float[] {0, 0, 0}, 1))
          .hasMessage("cannot normalize query for cosine similarity: it is all zeros");
    }
    assertThatThrownBy(() -> build(List.of("a", "b"), new float[][] {{1, 0}, {0, 0}}, Similarity.COSINE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot normalize vector 1 (id b) for cosine similarity: it is all zeros");
  }

  @Test
  void dotProductScoresTheVectorsAsGiven() {
    float[][] vectors = {{3, 4, 0}, {0, 0, 10}, {1, 1, 0}};
    try (VectorIndex index = build(List.of("a", "b", "c"), vectors, Similarity.DOT_PRODUCT)) {
      List<ScoredDoc> hits = index.search(new float[] {1, 1, 1}, 3);
      assertThat(hits).extracting(ScoredDoc::docId).containsExactly("b", "a", "c");
      assertThat(hits).extracting(ScoredDoc::score).containsExactly(10.0, 7.0, 2.0);
    }
  }

  @Test
  void batchedSearchEqualsSearchingEachQueryAlone() {
    Random random = new Random(seed);
    float[][] vectors = gaussian(random, 500, 20);
    float[][] queries = gaussian(random, 37, 20);
    AtomicLong steps = new AtomicLong();
    Progress counting = (name, total) -> new Progress.Task() {
      @Override
      public void step(long n) {
        steps.addAndGet(n);
      }

      @Override
      public void close() {
      }
    };
    try (VectorIndex index = build(ids(500), vectors, Similarity.DOT_PRODUCT)) {
      List<List<ScoredDoc>> batch = index.search(queries, 10, counting);
      assertThat(batch).hasSize(queries.length);
      for (int q = 0; q < queries.length; q++) {
        assertThat(batch.get(q)).as("seed %d, query %d", seed, q).isEqualTo(index.search(queries[q], 10));
      }
      assertThat(steps).hasValue(queries.length);
      assertThat(index.search(new float[0][], 10, Progress.NONE)).isEmpty();
    }
  }

  @Test
  void badCorpusInputIsRejectedWithClearMessages() {
    assertThatThrownBy(() -> build(List.of("a"), new float[][] {{1}, {2}}, Similarity.DOT_PRODUCT))
        .hasMessage("ids and vectors differ in number: 1 ids, 2 vectors");
    assertThatThrownBy(() -> build(List.of("a", "b"), new float[][] {{1, 2}, {2}}, Similarity.DOT_PRODUCT))
        .hasMessage("vector 1 (id b) has dimension 1, expected 2 like vector 0");
    assertThatThrownBy(() -> build(List.of("a", "a"), new float[][] {{1}, {2}}, Similarity.DOT_PRODUCT))
        .hasMessage("duplicate id a (vectors 0 and 1)");
    assertThatThrownBy(() -> build(List.of("a", "b"), new float[][] {{1}, {Float.POSITIVE_INFINITY}},
        Similarity.DOT_PRODUCT))
        .hasMessage("vector 1 (id b) has a non-finite value at position 0: Infinity");
    assertThatThrownBy(() -> build(List.of(), new float[0][], Similarity.DOT_PRODUCT))
        .hasMessage("an index needs at least one vector");
  }
}
