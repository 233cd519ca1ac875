package dev.quarry.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  /** Tensors by name, in the given order; a name given twice is an error. */
  public static Map<String, NamedTensor> byName(List<NamedTensor> tensors) {
    Map<String, NamedTensor> out = new LinkedHashMap<>();
    for (NamedTensor t : tensors) {
      if (out.put(t.name(), t) != null) {
        throw new IllegalArgumentException("two tensors are named " + t.name());
      }
    }
    return out;
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
