package dev.quarry.search;

import static dev.quarry.search.FusionFixtures.ids;
import static dev.quarry.search.FusionFixtures.scores;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeightedScoreFusionTest {
  private static final double EPS = 1e-12;

  private static Run fuse(List<Double> weights, ScoreNormalization normalization, int depth, int k) {
    return new WeightedScoreFusion(new WeightedFusionConfig(weights, normalization, depth, k))
        .fuse(List.of(FusionFixtures.a(), FusionFixtures.b()), "w");
  }

  @Test
  void minMaxNormalizesEachRunThenWeights() {
    // a: d1 3, d2 2, d3 1 -> 1, 0.5, 0;  b: d3 10, d4 9, d1 8 -> 1, 0.5, 0
    // 0.7 a + 0.3 b: d1 0.7, d2 0.35, d3 0.3, d4 0.15 (a missing document adds 0)
    Run fused = fuse(List.of(0.7, 0.3), ScoreNormalization.MIN_MAX, 1000, 1000);
    assertThat(ids(fused, "q1")).containsExactly("d1", "d2", "d3", "d4");
    List<Double> s = scores(fused, "q1");
    assertThat(s.get(0)).isCloseTo(0.7, within(EPS));
    assertThat(s.get(1)).isCloseTo(0.35, within(EPS));
    assertThat(s.get(2)).isCloseTo(0.3, within(EPS));
    assertThat(s.get(3)).isCloseTo(0.15, within(EPS));
    // q2: b's two scores are equal, so both normalize to 1, times 0.3; ties by id descending
    assertThat(fused.docs("q2")).containsExactly(new ScoredDoc("y", 0.3), new ScoredDoc("x", 0.3));
    assertThat(fused.queryIds()).containsExactly("q1", "q3", "q2");
    assertThat(fused.docs("q3")).isEmpty();
  }

  @Test
  void zScoreNormalizesWithThePopulationStandardDeviation() {
    // a: mean 2, sd sqrt(2/3) = 0.8164965809 -> d1 1.2247448714, d2 0, d3 -1.2247448714
    // b: mean 9, same sd -> d3 1.2247448714, d4 0, d1 -1.2247448714
    // 0.7 a + 0.3 b: d1 0.4 * 1.2247448714 = 0.4898979486, d2 0, d4 0, d3 -0.4898979486
    Run fused = fuse(List.of(0.7, 0.3), ScoreNormalization.Z_SCORE, 1000, 1000);
    assertThat(ids(fused, "q1")).containsExactly("d1", "d4", "d2", "d3");
    List<Double> s = scores(fused, "q1");
    assertThat(s.get(0)).isCloseTo(0.4898979485566356, within(EPS));
    assertThat(s.get(1)).isEqualTo(0.0);
    assertThat(s.get(2)).isEqualTo(0.0);
    assertThat(s.get(3)).isCloseTo(-0.4898979485566356, within(EPS));
    // equal scores have sd 0: each becomes 0
    assertThat(scores(fused, "q2")).containsExactly(0.0, 0.0);
  }

  @Test
  void depthLimitsTheHitsNormalizedAndKTheHitsWritten() {
    // depth 2: a: d1 3, d2 2 -> 1, 0;  b: d3 10, d4 9 -> 1, 0;  equal weights 0.5: d1 0.5, d3 0.5, d2 0, d4 0
    Run fused = fuse(List.of(0.5, 0.5), ScoreNormalization.MIN_MAX, 2, 3);
    assertThat(ids(fused, "q1")).containsExactly("d3", "d1", "d4");
    assertThat(scores(fused, "q1")).containsExactly(0.5, 0.5, 0.0);
  }

  @Test
  void weightsAreValidated() {
    assertThatThrownBy(() -> fuse(List.of(1.0), ScoreNormalization.MIN_MAX, 10, 10))
        .hasMessage("weighted fusion got 2 runs but 1 weights");
    assertThatThrownBy(() -> new WeightedFusionConfig(List.of(0.0, 0.0), ScoreNormalization.MIN_MAX, 10, 10))
        .hasMessage("at least one weight must be positive; weights=[0.0, 0.0]");
    assertThatThrownBy(() -> new WeightedFusionConfig(List.of(1.0, -0.5), ScoreNormalization.MIN_MAX, 10, 10))
        .hasMessage("weight 2 must be finite and >= 0; weight=-0.5");
    assertThatThrownBy(() -> new WeightedFusionConfig(List.of(1.0, Double.NaN), ScoreNormalization.MIN_MAX, 10, 10))
        .hasMessage("weight 2 must be finite and >= 0; weight=NaN");
    assertThatThrownBy(() -> new WeightedFusionConfig(List.of(1.0), null, 10, 10))
        .hasMessage("normalization must be MIN_MAX or Z_SCORE");
    assertThat(WeightedFusionConfig.equalWeights(4).weights()).containsExactly(0.25, 0.25, 0.25, 0.25);
  }
}
