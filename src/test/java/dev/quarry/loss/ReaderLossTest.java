package dev.quarry.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReaderLossTest {
  private static final int GROUP = 3;
  private static final int LENGTH = 9;
  private static final ReaderLoss.Targets TARGETS = new ReaderLoss.Targets(new int[] {3, 2}, new int[] {8, 6},
      new int[][] {{3, 5, 6}, {4}}, new int[][] {{4, 5, 7}, {5}});

  /** The loss written out in doubles, straight from DPR's definition, as the reference. */
  private static double reference(float[] start, float[] end, float[] selection, ReaderLoss.Targets t) {
    double total = 0;
    for (int i = 0; i < t.questions(); i++) {
      double[] sel = new double[GROUP];
      for (int j = 0; j < GROUP; j++) {
        sel[j] = selection[i * GROUP + j];
      }
      double selectionLoss = -(sel[0] - logSumExp(sel));
      int row = i * GROUP * LENGTH;   // the positive is the group's first sequence
      int from = t.passageStart()[i];
      int to = t.passageEnd()[i];
      double[] s = new double[to - from];
      double[] e = new double[to - from];
      for (int k = from; k < to; k++) {
        s[k - from] = start[row + k];
        e[k - from] = end[row + k];
      }
      double zs = logSumExp(s);
      double ze = logSumExp(e);
      double[] spans = new double[t.spanStarts()[i].length];
      for (int k = 0; k < spans.length; k++) {
        spans[k] = start[row + t.spanStarts()[i][k]] - zs + end[row + t.spanEnds()[i][k]] - ze;
      }
      total += selectionLoss - logSumExp(spans);
    }
    return total / t.questions();
  }

  private static double logSumExp(double[] x) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (double v : x) {
      sum += Math.exp(v - max);
    }
    return max + Math.log(sum);
  }

  private static float[] random(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (3 * r.nextGaussian());
    }
    return v;
  }

  private static float loss(NDManager m, float[] start, float[] end, float[] selection) {
    int rows = 2 * GROUP;
    return ReaderLoss.loss(m.create(start, new Shape(rows, LENGTH)), m.create(end, new Shape(rows, LENGTH)),
        m.create(selection), TARGETS).getFloat();
  }

  @Test
  void equalsTheDefinitionWrittenOutInDoubles() {
    Random r = new Random(7);
    try (NDManager m = NDManager.newBaseManager()) {
      for (int trial = 0; trial < 5; trial++) {
        float[] start = random(r, 2 * GROUP * LENGTH);
        float[] end = random(r, 2 * GROUP * LENGTH);
        float[] selection = random(r, 2 * GROUP);
        assertThat((double) loss(m, start, end, selection))
            .isCloseTo(reference(start, end, selection, TARGETS), within(1e-4));
      }
    }
  }

  @Test
  void tokensOutsideThePassageAndTheNegativesSpanLogitsDoNotCount() {
    Random r = new Random(11);
    try (NDManager m = NDManager.newBaseManager()) {
      float[] start = random(r, 2 * GROUP * LENGTH);
      float[] end = random(r, 2 * GROUP * LENGTH);
      float[] selection = random(r, 2 * GROUP);
      float before = loss(m, start, end, selection);
      start[0] += 50;                   // question 0's [CLS]
      end[2] -= 30;                     // question 0's question tokens
      start[8] += 20;                   // question 0's final [SEP]
      start[LENGTH + 4] += 40;          // question 0's first negative
      end[GROUP * LENGTH + 7] += 40;    // question 1's positive, past its passage
      assertThat(loss(m, start, end, selection)).isCloseTo(before, within(1e-5f));
    }
  }

  @Test
  void gradientsReachTheLogitsThatCount() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray start = m.zeros(new Shape(2 * GROUP, LENGTH));
      NDArray end = m.zeros(new Shape(2 * GROUP, LENGTH));
      NDArray selection = m.zeros(new Shape(2 * GROUP));
      start.setRequiresGradient(true);
      selection.setRequiresGradient(true);
      try (var gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
        gc.backward(ReaderLoss.loss(start, end, selection, TARGETS));
      }
      float[] g = start.getGradient().toFloatArray();
      assertThat(g[3]).as("a span start of question 0").isNegative();
      assertThat(g[0]).as("[CLS] of question 0").isZero();
      assertThat(g[LENGTH + 3]).as("a negative's token").isZero();
      float[] gs = selection.getGradient().toFloatArray();
      assertThat(gs[0]).isNegative();
      assertThat(gs[1]).isPositive();
    }
  }

  @Test
  void spansOutsideThePassageAreErrors() {
    assertThatThrownBy(() -> new ReaderLoss.Targets(new int[] {3}, new int[] {8}, new int[][] {{2}},
        new int[][] {{4}})).hasMessageContaining("outside its passage tokens [3, 8)");
    assertThatThrownBy(() -> new ReaderLoss.Targets(new int[] {3}, new int[] {8}, new int[][] {{}},
        new int[][] {{}})).hasMessageContaining("no answer span");
  }
}
