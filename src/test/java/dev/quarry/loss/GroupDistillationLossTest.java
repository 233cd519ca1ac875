package dev.quarry.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class GroupDistillationLossTest {
  private static final float[] LOGITS = {2.0f, -1.0f, 0.5f, 3.0f, 0.0f, -2.0f};   // two groups of three
  private static final float[][] TEACHER = {{1.0f, 0.0f, 2.0f}, {4.0f, 4.0f, 0.0f}};

  /** KL(softmax(t / T) || softmax(x)) per group, averaged, in double. */
  private static double expected(double temperature) {
    double total = 0;
    for (int g = 0; g < 2; g++) {
      double[] p = softmax(new double[] {TEACHER[g][0] / temperature, TEACHER[g][1] / temperature,
          TEACHER[g][2] / temperature});
      double[] q = softmax(new double[] {LOGITS[3 * g], LOGITS[3 * g + 1], LOGITS[3 * g + 2]});
      for (int j = 0; j < 3; j++) {
        total += p[j] * (Math.log(p[j]) - Math.log(q[j]));
      }
    }
    return total / 2;
  }

  private static double[] softmax(double[] x) {
    double max = Math.max(x[0], Math.max(x[1], x[2]));
    double sum = 0;
    double[] e = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      e[i] = Math.exp(x[i] - max);
      sum += e[i];
    }
    for (int i = 0; i < x.length; i++) {
      e[i] /= sum;
    }
    return e;
  }

  @Test
  void isTheMeanKlOfTheTeachersDistributionFromTheCrossEncoders() {
    try (NDManager m = NDManager.newBaseManager()) {
      for (double temperature : new double[] {1.0, 0.5, 3.0}) {
        float loss = new GroupDistillationLoss(temperature).loss(m.create(LOGITS), TEACHER).getFloat();
        assertThat((double) loss).as("T = " + temperature).isCloseTo(expected(temperature), within(1e-5));
      }
      // equal distributions: zero loss
      float[][] same = {{2.0f, -1.0f, 0.5f}, {3.0f, 0.0f, -2.0f}};
      assertThat(new GroupDistillationLoss(1).loss(m.create(LOGITS), same).getFloat()).isCloseTo(0f, within(1e-6f));
    }
  }

  @Test
  void itsGradientIsStudentMinusTeacherProbabilitiesOverGroups() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray logits = m.create(LOGITS);
      logits.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(new GroupDistillationLoss(1).loss(logits, TEACHER));
      }
      float[] grad = logits.getGradient().toFloatArray();
      for (int g = 0; g < 2; g++) {
        double[] p = softmax(new double[] {TEACHER[g][0], TEACHER[g][1], TEACHER[g][2]});
        double[] q = softmax(new double[] {LOGITS[3 * g], LOGITS[3 * g + 1], LOGITS[3 * g + 2]});
        for (int j = 0; j < 3; j++) {
          assertThat((double) grad[3 * g + j]).isCloseTo((q[j] - p[j]) / 2, within(1e-6));
        }
      }
    }
  }

  @Test
  void rejectsScoresThatDoNotFitTheGroups() {
    try (NDManager m = NDManager.newBaseManager()) {
      assertThatThrownBy(() -> new GroupDistillationLoss(1).loss(m.create(LOGITS), new float[][] {{1, 2}, {3, 4}}))
          .hasMessage("group 0 has 2 teacher scores for 3 pairs");
      assertThatThrownBy(() -> new GroupDistillationLoss(1).loss(m.create(LOGITS),
          new float[][] {{1, Float.NaN, 2}, {3, 4, 5}})).hasMessage("group 0 has a non-finite teacher score NaN");
      assertThatThrownBy(() -> new GroupDistillationLoss(0)).hasMessageContaining("must be positive");
    }
  }
}
