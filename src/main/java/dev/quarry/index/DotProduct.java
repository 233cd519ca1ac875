package dev.quarry.index;

/**
 * The scoring arithmetic of the vector indexes: dot products of queries against rows of a row-major matrix. It is
 * the only place that multiplies vectors, so a faster kernel (for example one written directly against
 * {@code jdk.incubator.vector}) replaces this class's implementations and nothing else.
 *
 * <p>Every implementation computes a (query, row) product the same way whether it is asked alone through
 * {@link #dot} or inside a block through {@link #scoreRow}, so a query's scores do not depend on how queries were
 * batched. An instance keeps scratch space: use one per thread.
 */
abstract class DotProduct {
  /** The dot product of {@code query} with {@code data[offset, offset + dimension)}. */
  abstract float dot(float[] query, float[] data, int offset);

  /**
   * Scores one row against a block of queries: {@code out[q] = dot(queries[q], data, offset)} for
   * {@code q < count}. Implementations share work across the block (the row is read once for all queries).
   */
  abstract void scoreRow(float[][] queries, int count, float[] data, int offset, float[] out);

  /**
   * The fastest kernel this JVM can run: {@link PanamaDotProduct} when {@code jdk.incubator.vector} is in the boot
   * layer (bin/quarry and the tests add it), else Lucene's.
   */
  static DotProduct fastest(int dimension) {
    return VECTOR_API ? new PanamaDotProduct(dimension) : lucene(dimension);
  }

  private static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  /** Lucene's {@code VectorUtil}, SIMD when {@code jdk.incubator.vector} is present at run time. */
  static DotProduct lucene(int dimension) {
    return new LuceneDotProduct(dimension);
  }

  /** A plain scalar loop: the reference, and the fallback that needs nothing from the JVM. */
  static DotProduct scalar(int dimension) {
    return new ScalarDotProduct(dimension);
  }
}
