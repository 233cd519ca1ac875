package dev.quarry.mine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.data.Query;
import dev.quarry.data.TrecOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DevSplitTest {
  static final List<String> IDS = IntStream.rangeClosed(1, 50).mapToObj(i -> "q" + i).toList();

  @Test
  void sameIdsSizeAndSeedGiveTheSameSplitWhateverTheInputOrder() {
    DevSplit split = DevSplit.carve(IDS, 10, 13);
    List<String> shuffled = new ArrayList<>(IDS);
    Collections.shuffle(shuffled, new Random(99));
    assertThat(DevSplit.carve(shuffled, 10, 13)).isEqualTo(split);
    assertThat(DevSplit.carve(IDS, 10, 14)).isNotEqualTo(split);
  }

  @Test
  void devAndTrainAreDisjointSortedAndCoverEveryId() {
    DevSplit split = DevSplit.carve(IDS, 10, 13);
    assertThat(split.dev()).hasSize(10).isSortedAccordingTo(TrecOrder::compareIds);
    assertThat(split.train()).hasSize(40).isSortedAccordingTo(TrecOrder::compareIds);
    assertThat(split.dev()).doesNotContainAnyElementsOf(split.train());
    Set<String> all = new HashSet<>(split.dev());
    all.addAll(split.train());
    assertThat(all).containsExactlyInAnyOrderElementsOf(IDS);
  }

  @Test
  void followsTheDocumentedRule() {
    // the rule spelled out independently: sort by code point, Fisher-Yates from the end with Random(seed), take
    // the first devSize
    List<String> ids = new ArrayList<>(IDS);
    ids.sort(TrecOrder::compareIds);
    Random random = new Random(13);
    for (int i = ids.size() - 1; i >= 1; i--) {
      Collections.swap(ids, i, random.nextInt(i + 1));
    }
    List<String> dev = new ArrayList<>(ids.subList(0, 7));
    dev.sort(TrecOrder::compareIds);
    assertThat(DevSplit.carve(IDS, 7, 13).dev()).isEqualTo(dev);
  }

  @Test
  void pinnedAgainstAPortOfTheRuleOutsideJava() {
    // Python: sorted ids, Fisher-Yates with a port of java.util.Random(13), first 5, sorted
    List<String> ids = IntStream.rangeClosed(1, 20).mapToObj(i -> "q" + i).toList();
    assertThat(DevSplit.carve(ids, 5, 13).dev()).containsExactly("q10", "q3", "q4", "q6", "q8");
  }

  @Test
  void largerDevSetsExtendSmallerOnesWithTheSameSeed() {
    assertThat(DevSplit.carve(IDS, 20, 13).dev()).containsAll(DevSplit.carve(IDS, 10, 13).dev());
  }

  @Test
  void selectsQueriesAndRejectsBadArguments() {
    List<Query> queries = List.of(new Query("b", "B"), new Query("a", "A"), new Query("c", "C"));
    DevSplit split = DevSplit.carveQueries(queries, 1, 13);
    assertThat(DevSplit.select(queries, split.train())).hasSize(2).extracting(Query::id)
        .doesNotContainAnyElementsOf(split.dev());
    assertThat(DevSplit.carve(IDS, 0, 1).train()).hasSize(50);
    assertThat(DevSplit.carve(IDS, 50, 1).dev()).hasSize(50);
    assertThatThrownBy(() -> DevSplit.carve(IDS, 51, 1))
        .hasMessage("devSize must be between 0 and the number of queries (50); devSize=51");
    assertThatThrownBy(() -> DevSplit.carve(List.of("a", "a"), 1, 1))
        .hasMessage("query ids must be distinct to carve a dev split");
  }
}
