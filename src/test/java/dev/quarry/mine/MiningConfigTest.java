package dev.quarry.mine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MiningConfigTest {
  @Test
  void validatesWithExactMessages() {
    assertThatThrownBy(() -> new MiningConfig(" ", 1, 30, 1, 0, 13, PositiveRule.QRELS))
        .hasMessage("source must be a non-blank name such as bm25; source= ");
    assertThatThrownBy(() -> new MiningConfig("random", 1, 30, 1, 0, 13, PositiveRule.QRELS))
        .hasMessage("source must not be \"random\", which marks negatives drawn from the whole corpus");
    assertThatThrownBy(() -> new MiningConfig("bm25", 0, 30, 1, 0, 13, PositiveRule.QRELS))
        .hasMessage("from must be >= 1 (ranks are 1-based); from=0");
    assertThatThrownBy(() -> new MiningConfig("bm25", 5, 4, 1, 0, 13, PositiveRule.QRELS))
        .hasMessage("to must be >= from; from=5, to=4");
    assertThatThrownBy(() -> new MiningConfig("bm25", 1, 30, -1, 0, 13, PositiveRule.QRELS))
        .hasMessage("negatives must be >= 0; negatives=-1");
    assertThatThrownBy(() -> new MiningConfig("bm25", 1, 30, 1, -2, 13, PositiveRule.QRELS))
        .hasMessage("randomNegatives must be >= 0; randomNegatives=-2");
    assertThatThrownBy(() -> new MiningConfig("bm25", 1, 30, 0, 0, 13, PositiveRule.QRELS))
        .hasMessage("negatives and randomNegatives are both 0; ask for at least one negative");
    assertThatThrownBy(() -> new MiningConfig("bm25", 1, 30, 1, 0, 13, null))
        .hasMessage("positiveRule must be QRELS or ANSWERS");
    assertThat(MiningConfig.defaults("bm25")).isEqualTo(new MiningConfig("bm25", 1, 30, 1, 0, 13, PositiveRule.QRELS));
    assertThat(new MiningConfig("dense", 3, 3, 0, 1, -1, PositiveRule.ANSWERS).to()).isEqualTo(3);
  }

  @Test
  void reportMeanIsOverWrittenGroups() {
    assertThat(new MiningReport(4, 1, 0, 0, 6, 2, 0, 0).meanNegativesPerQuery()).isEqualTo(2.0);
    assertThat(new MiningReport(0, 3, 0, 0, 0, 0, 0, 0).meanNegativesPerQuery()).isZero();
  }

  @Test
  void querySeedsFollowTheDocumentedRule() {
    // FNV-1a 64 of "a" is the published test vector 0xaf63dc4c8601ec8c
    assertThat(QuerySeeds.fnv1a64("a".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isEqualTo(0xaf63dc4c8601ec8cL);
    assertThat(QuerySeeds.fnv1a64(new byte[0])).isEqualTo(0xcbf29ce484222325L);
    // SplitMix64's finalizer maps 0 to 0 and 1 to a known constant
    assertThat(QuerySeeds.mix(0)).isZero();
    assertThat(QuerySeeds.mix(1)).isEqualTo(0x5692161d100b05e5L);
    assertThat(QuerySeeds.seedOf(13, "q1")).isEqualTo(QuerySeeds.mix(13 ^ QuerySeeds.fnv1a64(new byte[] {'q', '1'})));
    assertThat(QuerySeeds.seedOf(13, "q1")).isNotEqualTo(QuerySeeds.seedOf(13, "q2"))
        .isNotEqualTo(QuerySeeds.seedOf(14, "q1"));
    // pinned against a Python port of the rule and of java.util.Random
    assertThat(QuerySeeds.seedOf(13, "q1")).isEqualTo(-31652080735236332L);
    assertThat(QuerySeeds.forQuery(13, "q1").nextInt(1000)).isEqualTo(379);
  }
}
