package dev.quarry.index;

/** Dot products with a plain loop, summed left to right in float. The reference for faster kernels. */
final class ScalarDotProduct extends DotProduct {
  private final int dimension;

  ScalarDotProduct(int dimension) {
    this.dimension = dimension;
  }

  @Override
  float dot(float[] query, float[] data, int offset) {
    float sum = 0;
    for (int i = 0; i < dimension; i++) {
      sum += query[i] * data[offset + i];
    }
    return sum;
  }

  @Override
  void scoreRow(float[][] queries, int count, float[] data, int offset, float[] out) {
    for (int q = 0; q < count; q++) {
      out[q] = dot(queries[q], data, offset);
    }
  }
}
