package dev.quarry.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.quarry.model.Torch;

/**
 * DPR's contrastive loss: every query is scored against every passage of the pool (its positive, its hard negatives,
 * and every other query's passages: in-batch negatives) and the loss is the mean softmax cross-entropy of the
 * positive, with scores {@code q . p / temperature}.
 *
 * <p>The pool layout is fixed by the caller: {@code positives[i]} is the row of query {@code i}'s positive in the
 * passage matrix. With a group size of {@code 1 + n} passages per query laid out query after query, that is
 * {@code i * (1 + n)}.
 */
public final class InfoNceLoss {
  private final float temperature;

  public InfoNceLoss(float temperature) {
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be positive; temperature=" + temperature);
    }
    this.temperature = temperature;
  }

  public float temperature() {
    return temperature;
  }

  /**
   * The mean loss over queries.
   *
   * @param queries {@code [numQueries, dim]}
   * @param passages {@code [numPassages, dim]}
   * @param positives for each query, the row of its positive passage
   */
  public NDArray loss(NDArray queries, NDArray passages, int[] positives) {
    return loss(queries, passages, positives, new int[positives.length][]);
  }

  /**
   * The mean loss over queries, leaving some passages out of some queries' softmax: {@code excluded[i]} lists the
   * pool rows that query {@code i} must not be pushed away from (its other known positives, which would otherwise be
   * false negatives); null or empty excludes nothing. A query's own positive row cannot be excluded.
   */
  public NDArray loss(NDArray queries, NDArray passages, int[] positives, int[][] excluded) {
    if (queries.getShape().get(0) != positives.length || excluded.length != positives.length) {
      throw new IllegalArgumentException(queries.getShape().get(0) + " queries but " + positives.length
          + " positives and " + excluded.length + " exclusion lists");
    }
    NDArray scores = queries.matMul(passages.transpose()).div(Torch.scalar(queries, temperature));
    int pool = Math.toIntExact(passages.getShape().get(0));
    float[] mask = null;
    for (int i = 0; i < excluded.length; i++) {
      for (int row : excluded[i] == null ? new int[0] : excluded[i]) {
        if (row == positives[i] || row < 0 || row >= pool) {
          throw new IllegalArgumentException("query " + i + " cannot exclude row " + row + " (positive "
              + positives[i] + ", pool of " + pool + ")");
        }
        mask = mask == null ? new float[positives.length * pool] : mask;
        mask[i * pool + row] = Float.NEGATIVE_INFINITY;
      }
    }
    if (mask != null) {
      scores = scores.add(queries.getManager().create(mask, scores.getShape()));
    }
    NDArray logProbs = scores.logSoftmax(1);
    NDArray labels = queries.getManager().create(positives).toType(DataType.INT64, false).expandDims(1);
    NDArray picked = logProbs.gather(labels, 1);
    return picked.mean().neg();
  }

  /** Positive rows for {@code numQueries} groups of {@code groupSize} passages laid out query after query. */
  public static int[] groupedPositives(int numQueries, int groupSize) {
    int[] rows = new int[numQueries];
    for (int i = 0; i < numQueries; i++) {
      rows[i] = i * groupSize;
    }
    return rows;
  }
}
