package dev.quarry.rerank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.quarry.data.Passage;
import dev.quarry.data.Qrels;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import dev.quarry.util.Progress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelQualityTest {
  /** A judge whose probability of a passage is written in its text. */
  private static final PairJudge JUDGE = new PairJudge() {
    @Override
    public float[] score(Query query, List<Passage> passages) {
      float[] s = new float[passages.size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = Float.parseFloat(passages.get(i).text());
      }
      return s;
    }

    @Override
    public double probability(float score) {
      return score;
    }
  };

  @Test
  void countsEachThresholdsLabelsAgainstTheQrels() {
    Map<String, Passage> corpus = new HashMap<>();
    String[][] probabilities = {{"d1", "0.95"}, {"d2", "0.6"}, {"d3", "0.05"}, {"d4", "0.92"}, {"d5", "0.2"},
        {"d6", "0.01"}, {"d7", "0.99"}};
    for (String[] p : probabilities) {
      corpus.put(p[0], new Passage(p[0], "", p[1]));
    }
    Run run = Run.builder("t")
        .put("q1", List.of(new ScoredDoc("d1", 3), new ScoredDoc("d2", 2), new ScoredDoc("d3", 1),
            new ScoredDoc("d7", 0)))   // below the depth of 3: not judged
        .put("q2", List.of(new ScoredDoc("d4", 3), new ScoredDoc("d5", 2), new ScoredDoc("d6", 1))).build();
    Qrels qrels = Qrels.builder(Path.of("qrels")).add("q1", "d1", 1, 1).add("q2", "d5", 2, 2).add("q2", "d9", 1, 3)
        .build();
    Candidates candidates = Candidates.of(List.of(new Query("q1", "a"), new Query("q2", "b")), "test",
        ids -> corpus, "corpus", run, 3);
    LabelQuality.Report r = LabelQuality.measure(JUDGE, candidates, qrels, List.of(0.9, 0.1), Progress.NONE);
    assertThat(r.pairs()).isEqualTo(6);
    assertThat(r.relevant()).isEqualTo(2);   // d9 is judged but not retrieved
    LabelQuality.Row low = r.rows().get(0);
    assertThat(low.threshold()).isEqualTo(0.1);
    assertThat(low.positives()).isEqualTo(4);
    assertThat(low.positivePrecision()).isCloseTo(0.5, within(1e-12));
    assertThat(low.positiveRecall()).isCloseTo(1.0, within(1e-12));
    assertThat(low.negatives()).isEqualTo(2);
    assertThat(low.negativePrecision()).isCloseTo(1.0, within(1e-12));
    assertThat(low.negativeRecall()).isCloseTo(0.5, within(1e-12));
    LabelQuality.Row high = r.rows().get(1);
    assertThat(high.positives()).isEqualTo(2);
    assertThat(high.positivePrecision()).isCloseTo(0.5, within(1e-12));
    assertThat(high.positiveRecall()).isCloseTo(0.5, within(1e-12));
    assertThat(high.negativePrecision()).isCloseTo(0.75, within(1e-12));
    assertThat(high.negativeRecall()).isCloseTo(0.75, within(1e-12));
    assertThat(r.table()).contains("2 queries, 6 retrieved pairs, 2 judged relevant");
    assertThat(r.toJson().path("thresholds")).hasSize(2);

    assertThatThrownBy(() -> LabelQuality.measure(JUDGE, candidates, qrels, List.of(1.0), Progress.NONE))
        .hasMessageContaining("thresholds are probabilities in (0, 1)");
  }
}
