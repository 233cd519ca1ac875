package dev.quarry.index;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products on the Java Vector API: the preferred species, fused multiply-add, and four queries per row load
 * (register blocking), so each row is read once for four queries. Scores are the same to the bit whether a query is
 * scored alone or in a block: both paths accumulate lane-wise in the same order and sum the lanes in index order.
 */
final class PanamaDotProduct extends DotProduct {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private final int dimension;
  private final int bound;
  private final float[] lanes = new float[SPECIES.length()];

  PanamaDotProduct(int dimension) {
    this.dimension = dimension;
    this.bound = SPECIES.loopBound(dimension);
  }

  @Override
  float dot(float[] q, float[] data, int off) {
    FloatVector acc = FloatVector.zero(SPECIES);
    int i = 0;
    for (; i < bound; i += SPECIES.length()) {
      acc = FloatVector.fromArray(SPECIES, q, i).fma(FloatVector.fromArray(SPECIES, data, off + i), acc);
    }
    return tail(reduce(acc), q, data, off, i);
  }

  @Override
  void scoreRow(float[][] qs, int count, float[] data, int off, float[] out) {
    int q = 0;
    for (; q + 4 <= count; q += 4) {
      float[] q0 = qs[q];
      float[] q1 = qs[q + 1];
      float[] q2 = qs[q + 2];
      float[] q3 = qs[q + 3];
      FloatVector a0 = FloatVector.zero(SPECIES);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      int i = 0;
      for (; i < bound; i += SPECIES.length()) {
        FloatVector x = FloatVector.fromArray(SPECIES, data, off + i);
        a0 = FloatVector.fromArray(SPECIES, q0, i).fma(x, a0);
        a1 = FloatVector.fromArray(SPECIES, q1, i).fma(x, a1);
        a2 = FloatVector.fromArray(SPECIES, q2, i).fma(x, a2);
        a3 = FloatVector.fromArray(SPECIES, q3, i).fma(x, a3);
      }
      out[q] = tail(reduce(a0), q0, data, off, i);
      out[q + 1] = tail(reduce(a1), q1, data, off, i);
      out[q + 2] = tail(reduce(a2), q2, data, off, i);
      out[q + 3] = tail(reduce(a3), q3, data, off, i);
    }
    for (; q < count; q++) {
      out[q] = dot(qs[q], data, off);
    }
  }

  /**
   * Sums the lanes in index order. {@code reduceLanes(ADD)} may add them in another order once the JIT intrinsifies
   * it, which would make a score depend on compilation state.
   */
  private float reduce(FloatVector v) {
    v.intoArray(lanes, 0);
    float s = 0;
    for (float x : lanes) {
      s += x;
    }
    return s;
  }

  private float tail(float sum, float[] q, float[] data, int off, int from) {
    float s = sum;
    for (int i = from; i < dimension; i++) {
      s = Math.fma(q[i], data[off + i], s);
    }
    return s;
  }
}
