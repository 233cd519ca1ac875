package dev.quarry.index;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks and prepares the vectors going into an index and the queries coming to it, with the messages users see. */
final class VectorChecks {
  private VectorChecks() {
  }

  /** Checks ids and vectors for building an index and returns their common dimension. */
  static int checkCorpus(List<String> ids, float[][] vectors) {
    if (ids == null || vectors == null) {
      throw new IllegalArgumentException("ids and vectors must not be null");
    }
    if (ids.size() != vectors.length) {
      throw new IllegalArgumentException(
          "ids and vectors differ in number: " + ids.size() + " ids, " + vectors.length + " vectors");
    }
    if (vectors.length == 0) {
      throw new IllegalArgumentException("an index needs at least one vector");
    }
    Map<String, Integer> seen = new HashMap<>(ids.size() * 2);
    int dim = -1;
    for (int i = 0; i < vectors.length; i++) {
      String id = ids.get(i);
      if (id == null) {
        throw new IllegalArgumentException("id " + i + " is null");
      }
      Integer before = seen.putIfAbsent(id, i);
      if (before != null) {
        throw new IllegalArgumentException("duplicate id " + id + " (vectors " + before + " and " + i + ")");
      }
      float[] v = vectors[i];
      String label = "vector " + i + " (id " + id + ")";
      if (v == null) {
        throw new IllegalArgumentException(label + " is null");
      }
      if (dim < 0) {
        if (v.length == 0) {
          throw new IllegalArgumentException(label + " is empty");
        }
        dim = v.length;
      } else if (v.length != dim) {
        throw new IllegalArgumentException(label + " has dimension " + v.length + ", expected " + dim + " like vector 0");
      }
      checkFinite(v, label);
    }
    return dim;
  }

  /** The vector as the index stores it: a copy, L2-normalized for cosine. */
  static float[] forIndex(float[] v, Similarity similarity, String label) {
    return similarity == Similarity.COSINE ? normalized(v, label) : v.clone();
  }

  /** Checks a query and returns it as it is scored (normalized for cosine; the caller's array is never changed). */
  static float[] query(float[] query, int dimension, Similarity similarity, String label) {
    if (query == null) {
      throw new IllegalArgumentException(label + " is null");
    }
    if (query.length != dimension) {
      throw new IllegalArgumentException(
          label + " has dimension " + query.length + ", but the index has dimension " + dimension);
    }
    checkFinite(query, label);
    return similarity == Similarity.COSINE ? normalized(query, label) : query;
  }

  /** Checks and prepares a batch of queries. */
  static float[][] queries(float[][] queries, int dimension, Similarity similarity) {
    if (queries == null) {
      throw new IllegalArgumentException("queries must not be null");
    }
    float[][] prepared = new float[queries.length][];
    for (int i = 0; i < queries.length; i++) {
      prepared[i] = query(queries[i], dimension, similarity, "query " + i);
    }
    return prepared;
  }

  static void checkK(int k) {
    if (k <= 0) {
      throw new IllegalArgumentException("k must be positive; k=" + k);
    }
  }

  /** A unit-length copy: each value times 1 / norm, the norm summed in double precision. */
  static float[] normalized(float[] v, String label) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    if (sum == 0) {
      throw new IllegalArgumentException("cannot normalize " + label + " for cosine similarity: it is all zeros");
    }
    double inverse = 1 / Math.sqrt(sum);
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] * inverse);
    }
    return out;
  }

  private static void checkFinite(float[] v, String label) {
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new IllegalArgumentException(label + " has a non-finite value at position " + i + ": " + v[i]);
      }
    }
  }
}
