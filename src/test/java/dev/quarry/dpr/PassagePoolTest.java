package dev.quarry.dpr;

import dev.quarry.data.Passage;
import dev.quarry.mine.TrainGroup;
import dev.quarry.random.SplitMix64;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PassagePoolTest {
  private static Passage p(String id) {
    return new Passage(id, "", "text " + id);
  }

  private static TrainGroup group(String q, List<Passage> positives, String... negatives) {
    return new TrainGroup(q, "query " + q, positives,
        java.util.Arrays.stream(negatives).map(n -> TrainGroup.Negative.ranked(p(n), "bm25", 1, 1.0)).toList());
  }

  @Test
  void sharedPassagesAreOneRowAndOtherPositivesAreExcluded() {
    // q1 and q2 were asked on the same paragraph P; q3 has two positives, one of which is q1's negative
    List<TrainGroup> groups = List.of(
        group("q1", List.of(p("P")), "N1"),
        group("q2", List.of(p("P")), "N2"),
        group("q3", List.of(p("A"), p("N1")), "N3"));
    PassagePool pool = PassagePool.of(groups, 1, new SplitMix64(1));
    assertThat(pool.queries()).containsExactly("query q1", "query q2", "query q3");
    assertThat(pool.positives()[0]).isEqualTo(pool.positives()[1]);
    assertThat(pool.passages()).doesNotHaveDuplicates();
    int n1 = pool.passages().indexOf("text N1");
    int a = pool.passages().indexOf("text A");
    if (pool.positives()[2] == a) {
      assertThat(pool.excluded()[2]).containsExactly(n1);   // q3 drew A: N1 is its other positive, not a negative
    } else {
      assertThat(pool.positives()[2]).isEqualTo(n1);
      assertThat(pool.excluded()[2]).isEmpty();              // A is not in the pool when q3 drew N1
    }
    assertThat(pool.excluded()[0]).isEmpty();
    assertThat(pool.excluded()[1]).isEmpty();
    assertThat(pool.passages()).hasSize(pool.positives()[2] == a ? 5 : 4);
  }

  @Test
  void tooFewNegativesNamesTheQuery() {
    assertThatThrownBy(() -> PassagePool.of(List.of(group("q9", List.of(p("P")))), 1, new SplitMix64(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query q9 has 0 negatives");
  }
}
