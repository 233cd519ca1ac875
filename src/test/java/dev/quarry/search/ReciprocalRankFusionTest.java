package dev.quarry.search;

import static dev.quarry.search.FusionFixtures.ids;
import static dev.quarry.search.FusionFixtures.scores;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.quarry.data.Run;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReciprocalRankFusionTest {
  private static final double EPS = 1e-15;

  @Test
  void sumsReciprocalRanksWithTheDefaultConstant() {
    Run fused = new ReciprocalRankFusion(RrfConfig.DEFAULTS).fuse(List.of(FusionFixtures.a(), FusionFixtures.b()),
        "rrf");
    // ranks in a: d1 1, d2 2, d3 3; in b (sorted by score): d3 1, d4 2, d1 3
    // d1 = d3 = 1/61 + 1/63 = 0.0163934426 + 0.0158730159 = 0.0322664585; d2 = d4 = 1/62 = 0.0161290323
    // equal scores go by id descending: d3 before d1, d4 before d2
    assertThat(ids(fused, "q1")).containsExactly("d3", "d1", "d4", "d2");
    List<Double> s = scores(fused, "q1");
    assertThat(s.get(0)).isCloseTo(0.03226645849596669, within(EPS));
    assertThat(s.get(1)).isEqualTo(s.get(0));
    assertThat(s.get(2)).isCloseTo(0.016129032258064516, within(EPS));
    assertThat(s.get(3)).isEqualTo(s.get(2));
    assertThat(fused.tag()).isEqualTo("rrf");
  }

  @Test
  void keepsEveryQueryInFirstSeenOrderAndTiesInARunByIdDescending() {
    Run fused = new ReciprocalRankFusion(RrfConfig.DEFAULTS).fuse(List.of(FusionFixtures.a(), FusionFixtures.b()),
        "rrf");
    assertThat(fused.queryIds()).containsExactly("q1", "q3", "q2");
    assertThat(fused.docs("q3")).isEmpty();
    // x and y tie at 5 in b, so y has rank 1 (1/61 = 0.0163934426) and x rank 2 (1/62 = 0.0161290323)
    assertThat(ids(fused, "q2")).containsExactly("y", "x");
    assertThat(scores(fused, "q2").get(0)).isCloseTo(0.01639344262295082, within(EPS));
    assertThat(scores(fused, "q2").get(1)).isCloseTo(0.016129032258064516, within(EPS));
  }

  @Test
  void depthLimitsTheHitsReadAndKTheHitsWritten() {
    // depth 2: a gives d1 1, d2 2; b gives d3 1, d4 2; with constant 0: d1 = d3 = 1, d2 = d4 = 0.5
    Run fused = new ReciprocalRankFusion(new RrfConfig(0, 2, 3)).fuse(List.of(FusionFixtures.a(), FusionFixtures.b()),
        "rrf");
    assertThat(ids(fused, "q1")).containsExactly("d3", "d1", "d4");
    assertThat(scores(fused, "q1")).containsExactly(1.0, 1.0, 0.5);
  }

  @Test
  void configIsValidated() {
    assertThatThrownBy(() -> new RrfConfig(-1, 10, 10)).hasMessage("rankConstant must be >= 0; rankConstant=-1");
    assertThatThrownBy(() -> new RrfConfig(60, 0, 10)).hasMessage("depth must be positive; depth=0");
    assertThatThrownBy(() -> new RrfConfig(60, 10, 0)).hasMessage("k must be positive; k=0");
    assertThatThrownBy(() -> new ReciprocalRankFusion(RrfConfig.DEFAULTS).fuse(List.of(), "t"))
        .hasMessage("fusion needs at least one run");
  }
}
