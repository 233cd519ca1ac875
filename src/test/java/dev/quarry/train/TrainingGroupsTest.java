package dev.quarry.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.data.Passage;
import dev.quarry.mine.DevSplit;
import dev.quarry.mine.TrainGroup;
import dev.quarry.mine.TrainGroupFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingGroupsTest {
  @TempDir
  Path tmp;

  private static TrainGroup group(String id) {
    return new TrainGroup(id, "query " + id, List.of(new Passage("p" + id, "", "text")),
        List.of(TrainGroup.Negative.random(new Passage("n" + id, "", "other"))));
  }

  @Test
  void augmentedGroupsNeverMoveTheDevSplitAndAreAlwaysTrainedOn() {
    List<String> labeled = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      labeled.add(String.valueOf(i));
    }
    Set<String> split = Set.copyOf(labeled);
    Path plain = tmp.resolve("labeled.jsonl");
    TrainGroupFormat.write(plain, labeled.stream().map(TrainingGroupsTest::group).toList());
    Path mixed = tmp.resolve("mixed.jsonl");
    List<TrainGroup> withAugmented = new ArrayList<>(labeled.stream().map(TrainingGroupsTest::group).toList());
    for (int i = 0; i < 30; i++) {
      withAugmented.add(group("pseudo-" + i));
    }
    TrainGroupFormat.write(mixed, withAugmented);
    DevSplitConfig dev = new DevSplitConfig(10, 13);

    TrainingGroups before = TrainingGroups.load(plain, dev, OptionalInt.empty(), 1, split);
    TrainingGroups after = TrainingGroups.load(mixed, dev, OptionalInt.empty(), 1, split);
    assertThat(before.devSplit().dev()).isEqualTo(DevSplit.carve(labeled, 10, 13).dev());
    assertThat(after.devSplit().dev()).as("MD2's dev is MD1's: augmentation must not change it")
        .isEqualTo(before.devSplit().dev());
    Set<String> trained = after.train().stream().map(TrainGroup::queryId).collect(Collectors.toSet());
    assertThat(trained).hasSize(60).doesNotContainAnyElementsOf(after.devSplit().dev());
    assertThat(trained).contains("pseudo-0", "pseudo-29");
  }
}
