package dev.quarry.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.quarry.data.Qrels;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairedComparisonTest {
  /** Per-query reciprocal ranks chosen by placing the relevant document at a given rank. */
  private static EvalReport report(int... ranks) {
    Qrels.Builder qrels = Qrels.builder(null);
    Run.Builder run = Run.builder("t");
    for (int q = 0; q < ranks.length; q++) {
      qrels.add("q" + q, "rel", 1, 0);
      for (int r = 1; r <= ranks[q]; r++) {
        run.add("q" + q, new ScoredDoc(r == ranks[q] ? "rel" : "x" + r, -r));
      }
    }
    return new Evaluator(EvalConfig.DEFAULT).evaluate(qrels.build(), run.build(), List.of(Metric.parse("mrr")));
  }

  @Test
  void tTestMatchesTheTextbookFormula() {
    EvalReport a = report(2, 2, 4, 1, 5, 2);   // 0.5 0.5 0.25 1 0.2 0.5
    EvalReport b = report(1, 1, 2, 1, 1, 4);   // 1 1 0.5 1 1 0.25
    PairedComparison c = PairedComparison.of(a, b, Metric.parse("mrr"), 2000, 7);
    double[] d = {0.5, 0.5, 0.25, 0, 0.8, -0.25};
    double mean = 0;
    for (double x : d) {
      mean += x / d.length;
    }
    double var = 0;
    for (double x : d) {
      var += (x - mean) * (x - mean) / (d.length - 1);
    }
    double t = mean / Math.sqrt(var / d.length);
    assertThat(c.t()).isCloseTo(t, within(1e-12));
    // scipy.stats.ttest_rel(b, a) gives statistic 1.9298025627080304, p 0.11151849566759521
    assertThat(c.t()).isCloseTo(1.9298025627080304, within(1e-12));
    assertThat(c.tTestP()).isCloseTo(0.11151849566759521, within(1e-9));
    assertThat(c.wins()).isEqualTo(4);
    assertThat(c.losses()).isEqualTo(1);
    assertThat(c.ties()).isEqualTo(1);
    assertThat(c.meanB() - c.meanA()).isCloseTo(mean, within(1e-12));
  }

  @Test
  void randomizationTestIsExactOnASmallCaseAndRepeatsWithItsSeed() {
    // Five differences of +1: of the 32 sign assignments only all-plus and all-minus reach |sum| 5, so p = 2/32.
    double[] diff = {1, 1, 1, 1, 1};
    assertThat(PairedComparison.randomization(diff, 200_000, 1)).isCloseTo(2.0 / 32, within(0.003));
    assertThat(PairedComparison.randomization(diff, 1000, 5)).isEqualTo(PairedComparison.randomization(diff, 1000, 5));
    assertThat(PairedComparison.randomization(new double[] {0, 0, 0}, 100, 1)).isEqualTo(1.0);
  }
}
