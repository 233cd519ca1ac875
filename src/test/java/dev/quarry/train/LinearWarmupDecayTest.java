package dev.quarry.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LinearWarmupDecayTest {
  @Test
  void risesOverWarmupThenFallsToZeroAsHuggingFaceDoes() {
    LinearWarmupDecay s = new LinearWarmupDecay(2e-5, 2, 10);
    double[] expected = {0, 0.5, 1, 7 / 8.0, 6 / 8.0, 5 / 8.0, 4 / 8.0, 3 / 8.0, 2 / 8.0, 1 / 8.0, 0, 0};
    for (int step = 0; step < expected.length; step++) {
      assertThat(s.multiplier(step)).as("step %d", step).isCloseTo(expected[step], within(1e-15));
      assertThat(s.learningRate(step)).isCloseTo(2e-5 * expected[step], within(1e-20));
    }
  }

  @Test
  void withoutWarmupStartsAtThePeak() {
    LinearWarmupDecay s = new LinearWarmupDecay(1.0, 0, 4);
    assertThat(s.multiplier(0)).isEqualTo(1.0);
    assertThat(s.multiplier(1)).isEqualTo(0.75);
    assertThat(s.multiplier(3)).isEqualTo(0.25);
    assertThat(s.multiplier(4)).isEqualTo(0.0);
  }

  @Test
  void allWarmupNeverDecays() {
    LinearWarmupDecay s = new LinearWarmupDecay(1.0, 4, 4);
    assertThat(s.multiplier(3)).isEqualTo(0.75);
    assertThat(s.multiplier(4)).isEqualTo(0.0);   // max(0, 0 / max(1, 0))
  }

  @Test
  void warmupStepsFromARatioRoundUpAsTrainingArgumentsDoes() {
    assertThat(LinearWarmupDecay.withWarmupRatio(1, 100, 0.1).warmupSteps()).isEqualTo(10);
    assertThat(LinearWarmupDecay.withWarmupRatio(1, 15, 0.1).warmupSteps()).isEqualTo(2);
    assertThat(LinearWarmupDecay.withWarmupRatio(1, 100, 0.07).warmupSteps()).isEqualTo(8);   // 7.000000000000001
    assertThat(LinearWarmupDecay.withWarmupRatio(1, 100, 0).warmupSteps()).isZero();
  }

  @Test
  void rejectsBadSettings() {
    assertThatThrownBy(() -> new LinearWarmupDecay(0, 0, 10))
        .hasMessage("peakLearningRate must be positive; peakLearningRate=0.0");
    assertThatThrownBy(() -> new LinearWarmupDecay(1, 0, 0)).hasMessage("totalSteps must be positive; totalSteps=0");
    assertThatThrownBy(() -> new LinearWarmupDecay(1, 11, 10))
        .hasMessage("warmupSteps must be in [0, totalSteps]; warmupSteps=11 totalSteps=10");
    assertThatThrownBy(() -> new LinearWarmupDecay(1, 1, 10).multiplier(-1))
        .hasMessage("step must not be negative; step=-1");
    assertThatThrownBy(() -> LinearWarmupDecay.withWarmupRatio(1, 10, 1.5))
        .hasMessage("warmupRatio must be in [0, 1]; warmupRatio=1.5");
  }
}
