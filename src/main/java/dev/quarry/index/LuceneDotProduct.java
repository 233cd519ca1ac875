package dev.quarry.index;

import org.apache.lucene.util.VectorUtil;

/**
 * Dot products through Lucene's {@link VectorUtil#dotProduct(float[], float[])}, which Lucene runs on the Java Vector
 * API (SIMD, with FMA where the CPU has it) when the JVM was started with {@code --add-modules jdk.incubator.vector},
 * as {@code bin/quarry} and the tests do, and on an unrolled scalar loop otherwise. It gives Quarry SIMD scoring
 * without compiling against the incubator module. {@code VectorUtil} works on whole arrays, so a row of the matrix
 * is first copied into a scratch array; {@link #scoreRow} copies it once for the whole block of queries, where it then
 * stays in the L1 cache.
 */
final class LuceneDotProduct extends DotProduct {
  private final float[] row;

  LuceneDotProduct(int dimension) {
    this.row = new float[dimension];
  }

  @Override
  float dot(float[] query, float[] data, int offset) {
    if (offset == 0 && data.length == row.length) {
      return VectorUtil.dotProduct(query, data);
    }
    System.arraycopy(data, offset, row, 0, row.length);
    return VectorUtil.dotProduct(query, row);
  }

  @Override
  void scoreRow(float[][] queries, int count, float[] data, int offset, float[] out) {
    System.arraycopy(data, offset, row, 0, row.length);
    for (int q = 0; q < count; q++) {
      out[q] = VectorUtil.dotProduct(queries[q], row);
    }
  }
}
