package dev.quarry.index;

import dev.quarry.data.ScoredDoc;
import dev.quarry.util.Progress;
import dev.quarry.vectors.VectorReader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Exact search: every query is scored against every vector. The reference that approximate indexes are measured
 * against.
 *
 * <p>Layout: built from arrays, all vectors in one row-major {@code float[]} (vector {@code i} at
 * {@code [i * dimension, (i + 1) * dimension)}), normalized on the way in for cosine; at most {@link #MAX_VALUES}
 * floats fit. Opened on a vectors artifact ({@link #mapped}), the rows stay memory-mapped and are scanned a chunk
 * at a time, with no limit but the artifact's.
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

  /** Rows copied from memory-mapped blocks per scan step: 1,024 rows of 384 floats are 1.5 MiB. */
  static final int CHUNK_ROWS = 1024;

  private final List<String> ids;
  private final Rows rows;
  private final int size;
  private final int dimension;
  private final Similarity similarity;
  private final int[] tieRanks;
  private final int threads;
  private final IntFunction<DotProduct> kernels;

  private FlatVectorIndex(List<String> ids, Rows rows, int dimension, Similarity similarity, int threads,
      IntFunction<DotProduct> kernels) {
    this.ids = ids;
    this.rows = rows;
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
    return new FlatVectorIndex(List.copyOf(ids), new HeapRows(data, dim), dim, similarity, threads, kernels);
  }

  /**
   * An index over the memory-mapped rows of a vectors artifact, never copied to the heap as a whole: each scan copies
   * {@value #CHUNK_ROWS} rows at a time into a scratch array (normalizing them for cosine) and scores them with the
   * same kernel as a heap index, so the two give the same hits. No limit on the number of floats but the artifact's
   * (rows are ints). The blocks stay valid after the reader is closed.
   *
   * @param threads threads for batched search, at least 1
   */
  public static FlatVectorIndex mapped(VectorReader reader, Similarity similarity, int threads) {
    return mapped(reader, similarity, threads, DotProduct::fastest);
  }

  static FlatVectorIndex mapped(VectorReader reader, Similarity similarity, int threads,
      IntFunction<DotProduct> kernels) {
    if (similarity == null) {
      throw new IllegalArgumentException("similarity must be DOT_PRODUCT or COSINE");
    }
    if (threads <= 0) {
      throw new IllegalArgumentException("threads must be positive; threads=" + threads);
    }
    if (reader.count() == 0) {
      throw new IllegalArgumentException("the vectors artifact in " + reader.dir() + " holds no vector");
    }
    return mapped(reader.ids(), reader.blocks(), reader.dimension(), similarity, threads, kernels);
  }

  /**
   * An index over rows {@code [from, to)} of a vectors artifact, memory-mapped as {@link #mapped(VectorReader,
   * Similarity, int)}: one part of a corpus searched in parts (by workers of a distributed job), whose hits merged by
   * score and {@link dev.quarry.data.TrecOrder} are the hits of the whole, since a row scores the same in any part.
   */
  public static FlatVectorIndex mapped(VectorReader reader, int from, int to, Similarity similarity, int threads) {
    if (similarity == null) {
      throw new IllegalArgumentException("similarity must be DOT_PRODUCT or COSINE");
    }
    if (threads <= 0) {
      throw new IllegalArgumentException("threads must be positive; threads=" + threads);
    }
    if (from < 0 || to > reader.count() || from >= to) {
      throw new IllegalArgumentException("rows " + from + ".." + to + " are not a non-empty part of the "
          + reader.count() + " rows in " + reader.dir());
    }
    int dim = reader.dimension();
    List<VectorReader.Block> part = new ArrayList<>();
    for (VectorReader.Block b : reader.blocks()) {
      int lo = Math.max(from, b.firstRow());
      int hi = Math.min(to, b.firstRow() + b.rows());
      if (lo < hi) {
        part.add(new VectorReader.Block(lo - from, hi - lo,
            b.vectors().slice((lo - b.firstRow()) * dim, (hi - lo) * dim)));
      }
    }
    return mapped(reader.ids().subList(from, to), part, dim, similarity, threads, DotProduct::fastest);
  }

  private static FlatVectorIndex mapped(List<String> ids, List<VectorReader.Block> blocks, int dimension,
      Similarity similarity, int threads, IntFunction<DotProduct> kernels) {
    MappedRows rows = new MappedRows(blocks, dimension, similarity == Similarity.COSINE, ids);
    if (rows.normalize()) {
      rows.forEachRun((data, offset, firstRow, count) -> { });   // a vector cosine cannot normalize fails here
    }
    return new FlatVectorIndex(ids, rows, dimension, similarity, threads, kernels);
  }

  /** Where the rows live; {@link #forEachRun} hands them out as runs of consecutive rows in one float array. */
  private interface Rows {
    /** Calls {@code visitor} for every run of rows, in row order; each call may reuse the previous run's array. */
    void forEachRun(RunVisitor visitor);

    /** Row {@code row}, as a copy. */
    float[] row(int row);
  }

  @FunctionalInterface
  private interface RunVisitor {
    /** Rows {@code [firstRow, firstRow + count)} are in {@code data}, the first at float {@code offset}. */
    void visit(float[] data, int offset, int firstRow, int count);
  }

  /** Every row in one heap array. */
  private record HeapRows(float[] data, int dimension) implements Rows {
    @Override
    public void forEachRun(RunVisitor visitor) {
      visitor.visit(data, 0, 0, data.length / dimension);
    }

    @Override
    public float[] row(int row) {
      float[] v = new float[dimension];
      System.arraycopy(data, row * dimension, v, 0, dimension);
      return v;
    }
  }

  /** Memory-mapped blocks, copied into a scratch array a chunk at a time. */
  private record MappedRows(List<VectorReader.Block> blocks, int dimension, boolean normalize, List<String> ids)
      implements Rows {
    @Override
    public void forEachRun(RunVisitor visitor) {
      float[] chunk = new float[CHUNK_ROWS * dimension];
      for (VectorReader.Block block : blocks) {
        for (int r = 0; r < block.rows(); r += CHUNK_ROWS) {
          int count = Math.min(CHUNK_ROWS, block.rows() - r);
          block.vectors().get(r * dimension, chunk, 0, count * dimension);
          if (normalize) {
            normalizeRows(chunk, count, block.firstRow() + r);
          }
          visitor.visit(chunk, 0, block.firstRow() + r, count);
        }
      }
    }

    private void normalizeRows(float[] chunk, int count, int firstRow) {
      float[] v = new float[dimension];
      for (int i = 0; i < count; i++) {
        System.arraycopy(chunk, i * dimension, v, 0, dimension);
        System.arraycopy(VectorChecks.normalized(v, label(firstRow + i)), 0, chunk, i * dimension, dimension);
      }
    }

    private String label(int row) {
      return "vector " + row + " (id " + ids.get(row) + ")";
    }

    @Override
    public float[] row(int row) {
      for (VectorReader.Block block : blocks) {
        if (row < block.firstRow() + block.rows()) {
          float[] v = new float[dimension];
          block.vectors().get((row - block.firstRow()) * dimension, v, 0, dimension);
          return normalize ? VectorChecks.normalized(v, label(row)) : v;
        }
      }
      throw new IndexOutOfBoundsException(row);
    }
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
    return rows.row(ordinal);
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
    rows.forEachRun((data, start, firstRow, runRows) -> {
      for (int r = 0, offset = start; r < runRows; r++, offset += dimension) {
        kernel.scoreRow(block, count, data, offset, scores);
        for (int q = 0; q < count; q++) {
          heaps[q].offer(scores[q], firstRow + r);
        }
      }
    });
    List<List<ScoredDoc>> out = new ArrayList<>(count);
    for (TopK heap : heaps) {
      out.add(heap.drain(ids::get));
    }
    return out;
  }

  /** Releases nothing: heap rows are collected, and mapped ones unmapped once unreachable. */
  @Override
  public void close() {
  }
}
