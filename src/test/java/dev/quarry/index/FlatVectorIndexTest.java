package dev.quarry.index;

import dev.quarry.data.TrecOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.quarry.data.ScoredDoc;
import dev.quarry.util.Progress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class FlatVectorIndexTest extends VectorIndexContractTest {
  @Override
  VectorIndex build(List<String> ids, float[][] vectors, Similarity similarity) {
    return FlatVectorIndex.build(ids, vectors, similarity, 2);
  }

  /**
   * Exact search against a naive reference in double precision: every hit's score within 1e-4 of the reference
   * score, and the hits are the reference's top k (up to scores within 1e-4 of the k-th). Odd sizes on purpose: the
   * corpus, the dimension and the number of queries are no multiple of any block size.
   */
  @ParameterizedTest
  @EnumSource(Similarity.class)
  void agreesWithADoublePrecisionReferenceOnRandomData(Similarity similarity) {
    Random random = new Random(seed);
    int n = 3001;
    int dim = 77;
    int k = 25;
    float[][] vectors = gaussian(random, n, dim);
    float[][] queries = gaussian(random, 37, dim);
    for (IntFunction<DotProduct> kernel : List.<IntFunction<DotProduct>>of(DotProduct::lucene, DotProduct::scalar)) {
      try (VectorIndex index = FlatVectorIndex.build(ids(n), vectors, similarity, 3, kernel)) {
        List<List<ScoredDoc>> batch = index.search(queries, k, Progress.NONE);
        for (int q = 0; q < queries.length; q++) {
          double[] reference = reference(vectors, queries[q], similarity);
          Integer[] order = new Integer[n];
          for (int i = 0; i < n; i++) {
            order[i] = i;
          }
          java.util.Arrays.sort(order, Comparator.comparingDouble(i -> -reference[i]));
          double kth = reference[order[k - 1]];
          List<ScoredDoc> hits = batch.get(q);
          assertThat(hits).hasSize(k).isSortedAccordingTo(TrecOrder.BEST_FIRST);
          for (ScoredDoc hit : hits) {
            int i = Integer.parseInt(hit.docId().substring(1));
            assertThat(hit.score()).as("seed %d, query %d, %s", seed, q, hit.docId())
                .isCloseTo(reference[i], within(1e-4));
            assertThat(reference[i]).as("seed %d, query %d: %s is in the true top k", seed, q, hit.docId())
                .isGreaterThanOrEqualTo(kth - 1e-4);
          }
        }
      }
    }
  }

  private static double[] reference(float[][] vectors, float[] query, Similarity similarity) {
    double[] scores = new double[vectors.length];
    double queryNorm = Math.sqrt(dot(query, query));
    for (int i = 0; i < vectors.length; i++) {
      scores[i] = dot(query, vectors[i]);
      if (similarity == Similarity.COSINE) {
        scores[i] /= queryNorm * Math.sqrt(dot(vectors[i], vectors[i]));
      }
    }
    return scores;
  }

  @Test
  void bothKernelsComputeEachProductTheSameWayAloneAndInABlock() {
    Random random = new Random(seed);
    int dim = 45;
    float[][] rows = gaussian(random, 9, dim);
    float[] data = new float[rows.length * dim];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, data, r * dim, dim);
    }
    float[][] queries = gaussian(random, 5, dim);
    for (DotProduct kernel : List.of(DotProduct.lucene(dim), DotProduct.scalar(dim))) {
      float[] out = new float[queries.length];
      for (int r = 0; r < rows.length; r++) {
        kernel.scoreRow(queries, queries.length, data, r * dim, out);
        for (int q = 0; q < queries.length; q++) {
          assertThat(out[q]).isEqualTo(kernel.dot(queries[q], data, r * dim));
          assertThat(out[q]).isEqualTo(kernel.dot(queries[q], rows[r], 0));
          assertThat((double) out[q]).isCloseTo(dot(queries[q], rows[r]), within(1e-4));
        }
      }
    }
  }

  @Test
  void storesCopiesNormalizedForCosine() {
    float[][] vectors = {{3, 4}, {0, 2}};
    try (FlatVectorIndex index = FlatVectorIndex.build(List.of("a", "b"), vectors, Similarity.COSINE, 1)) {
      assertThat(index.vector(0)).containsExactly(0.6f, 0.8f);
      assertThat(index.vector(1)).containsExactly(0f, 1f);
      assertThat(index.id(1)).isEqualTo("b");
    }
    assertThat(vectors[0]).containsExactly(3f, 4f);
    assertThatThrownBy(() -> FlatVectorIndex.build(List.of("a"), new float[][] {{1}}, Similarity.COSINE, 0))
        .hasMessage("threads must be positive; threads=0");
  }

  @Test
  void manyQueriesOnManyThreadsKeepTheirOrder() {
    Random random = new Random(seed);
    float[][] vectors = gaussian(random, 200, 8);
    List<String> ids = new ArrayList<>(ids(200));
    try (FlatVectorIndex index = FlatVectorIndex.build(ids, vectors, Similarity.COSINE, 4)) {
      // each indexed vector is its own best hit, so the i-th result list must start with d<i>
      List<List<ScoredDoc>> hits = index.search(vectors, 1, Progress.NONE);
      for (int i = 0; i < vectors.length; i++) {
        assertThat(hits.get(i).get(0).docId()).isEqualTo("d" + i);
      }
    }
  }
}
