package dev.quarry.index;

import dev.quarry.data.ScoredDoc;
import dev.quarry.util.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Exact search: every query is scored against every vector. The reference that approximate indexes are measured
 * against.
 *
 * <p>Layout: all vectors in one row-major {@code float[]} (vector {@code i} at {@code [i * dimension, (i + 1) *
 * dimension)}), normalized on the way in for cosine. At most {@link #MAX_VALUES} floats fit.
 *
 * <p>Batched search splits the queries into blocks of up to {@value #QUERY_BLOCK} and makes one pass over the
 * matrix per block: each row is loaded once and scored against every query of the block while it sits in the L1
 * cache, so memory traffic is divided by the block size. Blocks run in parallel on the configured threads. Each query
 * keeps a bounded min-heap of its best {@code k}; no queries x corpus score matrix is ever built. Scores come from
 * {@link DotProduct}, so a query scores the same alone or in a batch, and ties are broken in trec_eval's order.
 */
public final class FlatVectorIndex implements VectorIndex {
  /** Queries scored together in one pass over the matrix. */
  static final int QUERY_BLOCK = 16;
  /** The most floats one Java array holds. */
  public static final long MAX_VALUES = Integer.MAX_VALUE - 8;

  private final List<String> ids;
  private final float[] data;
  private final int size;
  private final int dimension;
  private final Similarity similarity;
  private final int[] tieRanks;
  private final int threads;
  private final IntFunction<DotProduct> kernels;

  private FlatVectorIndex(List<String> ids, float[] data, int dimension, Similarity similarity, int threads,
      IntFunction<DotProduct> kernels) {
    this.ids = ids;
    this.data = data;
    this.size = ids.size();
    this.dimension = dimension;
    this.similarity = similarity;
    this.tieRanks = TieRanks.of(ids);
    this.threads = threads;
    this.kernels = kernels;
  }

  /**
   * Builds an index over copies of {@code vectors}; vector {@code i} gets id {@code ids.get(i)}.
   *
   * @param threads threads for batched search, at least 1
   */
  public static FlatVectorIndex build(List<String> ids, float[][] vectors, Similarity similarity, int threads) {
    return build(ids, vectors, similarity, threads, DotProduct::fastest);
  }

  static FlatVectorIndex build(List<String> ids, float[][] vectors, Similarity similarity, int threads,
      IntFunction<DotProduct> kernels) {
    if (similarity == null) {
      throw new IllegalArgumentException("similarity must be DOT_PRODUCT or COSINE");
    }
    if (threads <= 0) {
      throw new IllegalArgumentException("threads must be positive; threads=" + threads);
    }
    int dim = VectorChecks.checkCorpus(ids, vectors);
    long values = (long) vectors.length * dim;
    if (values > MAX_VALUES) {
      throw new IllegalArgumentException("a flat index holds at most " + MAX_VALUES + " floats; "
          + vectors.length + " vectors x " + dim + " dimensions = " + values);
    }
    float[] data = new float[(int) values];
    for (int i = 0; i < vectors.length; i++) {
      float[] v = similarity == Similarity.COSINE
          ? VectorChecks.normalized(vectors[i], "vector " + i + " (id " + ids.get(i) + ")")
          : vectors[i];
      System.arraycopy(v, 0, data, i * dim, dim);
    }
    return new FlatVectorIndex(List.copyOf(ids), data, dim, similarity, threads, kernels);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public Similarity similarity() {
    return similarity;
  }

  /** The stored vector {@code ordinal} (normalized for cosine), as a copy. */
  public float[] vector(int ordinal) {
    java.util.Objects.checkIndex(ordinal, size);
    float[] v = new float[dimension];
    System.arraycopy(data, ordinal * dimension, v, 0, dimension);
    return v;
  }

  /** The id of vector {@code ordinal}. */
  public String id(int ordinal) {
    return ids.get(ordinal);
  }

  @Override
  public List<ScoredDoc> search(float[] query, int k) {
    VectorChecks.checkK(k);
    float[] q = VectorChecks.query(query, dimension, similarity, "query");
    return scan(new float[][] {q}, 0, 1, k, kernels.apply(dimension)).get(0);
  }

  @Override
  public List<List<ScoredDoc>> search(float[][] queries, int k, Progress progress) {
    VectorChecks.checkK(k);
    float[][] prepared = VectorChecks.queries(queries, dimension, similarity);
    int n = prepared.length;
    // blocks of up to QUERY_BLOCK queries, but at least one block per thread when there are few queries
    int block = Math.max(1, Math.min(QUERY_BLOCK, (n + threads - 1) / threads));
    try (Progress.Task task = progress.start("flat search", n)) {
      return QueryBatches.run("quarry-flat-search", n, block, threads, task,
          (from, to) -> scan(prepared, from, to - from, k, kernels.apply(dimension)));
    }
  }

  /** One pass over the matrix for queries {@code [from, from + count)}. */
  private List<List<ScoredDoc>> scan(float[][] queries, int from, int count, int k, DotProduct kernel) {
    float[][] block = new float[count][];
    TopK[] heaps = new TopK[count];
    for (int q = 0; q < count; q++) {
      block[q] = queries[from + q];
      heaps[q] = new TopK(k, tieRanks);
    }
    float[] scores = new float[count];
    for (int row = 0, offset = 0; row < size; row++, offset += dimension) {
      kernel.scoreRow(block, count, data, offset, scores);
      for (int q = 0; q < count; q++) {
        heaps[q].offer(scores[q], row);
      }
    }
    List<List<ScoredDoc>> out = new ArrayList<>(count);
    for (TopK heap : heaps) {
      out.add(heap.drain(ids::get));
    }
    return out;
  }

  /** Releases nothing: the vectors are on the heap. */
  @Override
  public void close() {
  }
}
