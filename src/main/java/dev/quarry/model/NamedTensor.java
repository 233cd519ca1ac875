package dev.quarry.model;

import java.util.Arrays;

/** A named float32 tensor in row-major order, as weight files store them. */
public record NamedTensor(String name, long[] shape, float[] values) {
  public NamedTensor {
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    if (count != values.length) {
      throw new IllegalArgumentException("tensor " + name + " has shape " + Arrays.toString(shape) + " but "
          + values.length + " values");
    }
  }

  /** The transpose of a 2-D tensor, under a new name. */
  public NamedTensor transpose2d(String newName) {
    if (shape.length != 2) {
      throw new IllegalArgumentException("tensor " + name + " is not 2-D: " + Arrays.toString(shape));
    }
    int rows = (int) shape[0];
    int cols = (int) shape[1];
    float[] t = new float[values.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = values[r * cols + c];
      }
    }
    return new NamedTensor(newName, new long[] {cols, rows}, t);
  }
}
