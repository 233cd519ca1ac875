package dev.quarry.model;

/** How token states become one vector. */
public enum Pooling {
  /** The first token's state ([CLS]). */
  CLS,
  /** The mean of the non-padding tokens' states. */
  MEAN;

  /**
   * Pools row-major hidden states {@code [rows, length, dim]} on the Java heap, as {@link BertModel#pool} does on
   * NDArrays: the [CLS] state or the mean over the tokens whose mask is 1, then, if asked, divided by its L2 norm
   * (at least 1e-12).
   *
   * @param tokens the number of real tokens of each row (the mask is 1 on the first {@code tokens[b]} positions)
   */
  public float[][] pool(float[] hidden, int[] tokens, int length, int dim, boolean normalize) {
    float[][] out = new float[tokens.length][dim];
    for (int b = 0; b < tokens.length; b++) {
      float[] v = out[b];
      int base = b * length * dim;
      if (this == CLS) {
        System.arraycopy(hidden, base, v, 0, dim);
      } else {
        for (int t = 0; t < tokens[b]; t++) {
          for (int d = 0; d < dim; d++) {
            v[d] += hidden[base + t * dim + d];
          }
        }
        float n = Math.max(tokens[b], 1e-9f);
        for (int d = 0; d < dim; d++) {
          v[d] /= n;
        }
      }
      if (normalize) {
        double sq = 0;
        for (float x : v) {
          sq += (double) x * x;
        }
        float norm = (float) Math.max(Math.sqrt(sq), 1e-12);
        for (int d = 0; d < dim; d++) {
          v[d] /= norm;
        }
      }
    }
    return out;
  }
}
