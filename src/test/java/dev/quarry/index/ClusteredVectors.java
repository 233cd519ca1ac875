package dev.quarry.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Synthetic embeddings with cluster structure, closer to real sentence embeddings than uniform noise: unit vectors
 * drawn around random unit centers, each point the center plus Gaussian noise within the center's own low-rank
 * subspace plus a little isotropic noise, then normalized. Seeded; the same seed gives the same data.
 */
final class ClusteredVectors {
  private final int dimension;
  private final float[][] centers;
  private final float[][][] bases;
  private final double spread;
  private final double isotropic;

  /**
   * @param centers number of clusters
   * @param rank dimension of each cluster's subspace
   * @param spread norm of the in-subspace noise (relative to the unit center)
   * @param isotropic norm of the noise in all dimensions
   */
  ClusteredVectors(int dimension, int centers, int rank, double spread, double isotropic, long seed) {
    this.dimension = dimension;
    this.spread = spread;
    this.isotropic = isotropic;
    Random random = new Random(seed);
    this.centers = new float[centers][];
    this.bases = new float[centers][rank][];
    for (int c = 0; c < centers; c++) {
      this.centers[c] = unit(gaussian(random, dimension));
      for (int r = 0; r < rank; r++) {
        bases[c][r] = unit(gaussian(random, dimension));
      }
    }
  }

  /** {@code n} points, cluster by cluster in random order, from the stream {@code seed}. */
  float[][] sample(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] out = new float[n][];
    int rank = bases[0].length;
    double inRank = spread / Math.sqrt(rank);
    double inAll = isotropic / Math.sqrt(dimension);
    for (int i = 0; i < n; i++) {
      int c = random.nextInt(centers.length);
      double[] v = new double[dimension];
      for (int d = 0; d < dimension; d++) {
        v[d] = centers[c][d] + inAll * gaussian(random);
      }
      for (int r = 0; r < rank; r++) {
        double z = inRank * gaussian(random);
        float[] b = bases[c][r];
        for (int d = 0; d < dimension; d++) {
          v[d] += z * b[d];
        }
      }
      out[i] = unit(v);
    }
    return out;
  }

  static List<String> ids(int n) {
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add("doc" + i);
    }
    return ids;
  }

  private static double gaussian(SplittableRandom random) {
    // Marsaglia's polar method, written out so the stream depends on the seed alone
    while (true) {
      double u = 2 * random.nextDouble() - 1;
      double w = 2 * random.nextDouble() - 1;
      double s = u * u + w * w;
      if (s > 0 && s < 1) {
        return u * Math.sqrt(-2 * Math.log(s) / s);
      }
    }
  }

  private static double[] gaussian(Random random, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextGaussian();
    }
    return v;
  }

  private static float[] unit(double[] v) {
    double sum = 0;
    for (double x : v) {
      sum += x * x;
    }
    double inv = 1 / Math.sqrt(sum);
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] * inv);
    }
    return out;
  }
}
