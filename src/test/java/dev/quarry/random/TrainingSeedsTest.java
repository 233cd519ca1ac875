package dev.quarry.random;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingSeedsTest {
  @Test
  void splitMix64MatchesTheReferenceSequence() {
    // the first outputs of Vigna's splitmix64.c seeded with 0
    SplitMix64 r = new SplitMix64(0);
    assertThat(r.nextLong()).isEqualTo(0xe220a8397b1dcdafL);
    assertThat(r.nextLong()).isEqualTo(0x6e789e6aa1b965f4L);
    assertThat(r.nextLong()).isEqualTo(0x06c45d188009454fL);
    SplitMix64 continued = new SplitMix64(r.state());
    assertThat(continued.nextLong()).isEqualTo(r.nextLong());
  }

  @Test
  void boundedDrawsStayInRangeAndCoverIt() {
    SplitMix64 r = new SplitMix64(7);
    int[] counts = new int[6];
    for (int i = 0; i < 60_000; i++) {
      counts[r.nextInt(6)]++;
    }
    assertThat(Arrays.stream(counts).boxed()).allSatisfy(c -> assertThat(c).isBetween(9_500, 10_500));
    for (int i = 0; i < 1000; i++) {
      assertThat(r.nextDouble()).isGreaterThanOrEqualTo(0).isLessThan(1);
    }
    assertThatThrownBy(() -> r.nextInt(0)).hasMessage("bound must be positive; bound=0");
  }

  @Test
  void derivedSeedsDependOnEveryCoordinateAndNothingElse() {
    TrainingSeeds seeds = new TrainingSeeds(42);
    assertThat(seeds.derive(RandomPurpose.DROPOUT, 5, 0)).isEqualTo(new TrainingSeeds(42)
        .derive(RandomPurpose.DROPOUT, 5, 0));
    Set<Long> distinct = new HashSet<>();
    for (RandomPurpose p : RandomPurpose.values()) {
      for (long a = 0; a < 20; a++) {
        for (long b = 0; b < 5; b++) {
          distinct.add(seeds.derive(p, a, b));
        }
        distinct.add(seeds.derive(p, a));
      }
      distinct.add(seeds.derive(p));
    }
    assertThat(distinct).hasSize(RandomPurpose.values().length * (20 * 5 + 20 + 1));
    assertThat(new TrainingSeeds(43).dataOrderSeed(0)).isNotEqualTo(seeds.dataOrderSeed(0));
    assertThat(seeds.dropoutSeed(3)).isEqualTo(seeds.derive(RandomPurpose.DROPOUT, 3));
  }

  @Test
  void everyPurposeKeepsItsStreamWhateverTheEnumOrder() {
    // the ids are the streams' names: checkpoints and every published number depend on them, so they are pinned
    assertThat(java.util.Arrays.stream(RandomPurpose.values()).map(RandomPurpose::id)).doesNotHaveDuplicates();
    assertThat(RandomPurpose.DATA_ORDER.id()).isEqualTo(1);
    assertThat(RandomPurpose.NEGATIVES.id()).isEqualTo(2);
    assertThat(RandomPurpose.DROPOUT.id()).isEqualTo(3);
    assertThat(RandomPurpose.ANCE_NEGATIVES.id()).isEqualTo(4);
    assertThat(RandomPurpose.SPANS.id()).isEqualTo(5);
    // a derived seed mixes the id, not the ordinal: the derivation written out for stream 4 at coordinate 7
    long h = SplitMix64.mix64(42 ^ 0x5175617272795472L);
    h = SplitMix64.mix64(h + 0x9e3779b97f4a7c15L * 4);
    h = SplitMix64.mix64(h ^ SplitMix64.mix64(7 + 0x632be59bd9b4e019L));
    assertThat(new TrainingSeeds(42).derive(RandomPurpose.ANCE_NEGATIVES, 7)).isEqualTo(h);
  }

  @Test
  void dataOrderIsAPermutationFixedBySeedAndEpoch() {
    TrainingSeeds seeds = new TrainingSeeds(13);
    int[] epoch0 = seeds.dataOrder(100, 0);
    assertThat(Arrays.stream(epoch0).sorted().toArray()).containsExactly(IntStream.range(0, 100).toArray());
    assertThat(seeds.dataOrder(100, 0)).containsExactly(epoch0);
    assertThat(seeds.dataOrder(100, 1)).isNotEqualTo(epoch0);
    assertThat(epoch0).isNotEqualTo(IntStream.range(0, 100).toArray());
    // pinned, so a change of the derivation cannot go unnoticed (it must change TrainingSeeds.SCHEME)
    assertThat(seeds.dataOrder(8, 0)).containsExactly(PINNED_ORDER);
  }

  private static final int[] PINNED_ORDER = {5, 7, 0, 2, 4, 6, 1, 3};   // also computed by a Python transcription
}
