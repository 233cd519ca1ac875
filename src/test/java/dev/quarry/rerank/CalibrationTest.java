package dev.quarry.rerank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.quarry.data.Qrels;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import java.util.List;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibrationTest {
  @Test
  void recoversTheLogisticModelThatDrewTheLabels() {
    Random r = new Random(3);
    int n = 50_000;
    float[] logits = new float[n];
    boolean[] relevant = new boolean[n];
    for (int i = 0; i < n; i++) {
      logits[i] = (float) (r.nextDouble() * 8 - 4);
      relevant[i] = r.nextDouble() < 1 / (1 + Math.exp(-(2.0 * logits[i] - 1.0)));
    }
    Calibration c = Calibration.fit(logits, relevant);
    assertThat(c.scale()).isCloseTo(2.0, within(0.06));
    assertThat(c.bias()).isCloseTo(-1.0, within(0.06));
    assertThat(c.pairs()).isEqualTo(n);
  }

  @Test
  void isTheMaximumLikelihoodFitOfPlattsSmoothedTargets() {
    float[] logits = {-3, -2.5f, -2, -1, -0.5f, 0, 0.5f, 1, 2, 3};
    boolean[] relevant = {false, false, true, false, false, true, false, true, true, false};
    Calibration c = Calibration.fit(logits, relevant);
    double hi = (4 + 1.0) / (4 + 2.0);
    double lo = 1.0 / (6 + 2.0);
    double ga = 0;
    double gb = 0;
    for (int i = 0; i < logits.length; i++) {
      double residual = c.probability(logits[i]) - (relevant[i] ? hi : lo);
      ga += residual * logits[i];
      gb += residual;
    }
    assertThat(ga).as("d log-likelihood / d scale at the fit").isCloseTo(0, within(1e-9));
    assertThat(gb).as("d log-likelihood / d bias at the fit").isCloseTo(0, within(1e-9));
    assertThat(c.positives()).isEqualTo(4);
  }

  @Test
  void separableLabelsStillGiveAFiniteScale() {
    Calibration c = Calibration.fit(new float[] {-2, -1, 1, 2}, new boolean[] {false, false, true, true});
    assertThat(c.scale()).isPositive().isLessThan(100);
    assertThat(c.probability(2)).isLessThan(1).isGreaterThan(0.5);
  }

  @Test
  void oneKindOfLabelIsAnErrorButGivesIdentityOnARun() {
    assertThatThrownBy(() -> Calibration.fit(new float[] {1, 2}, new boolean[] {true, true}))
        .hasMessageContaining("needs relevant and non-relevant pairs");
    Run candidates = Run.builder("c").put("q", List.of(new ScoredDoc("a", 2), new ScoredDoc("b", 1))).build();
    Qrels none = Qrels.builder(Path.of("qrels")).add("q", "z", 1, 0).build();
    assertThat(Calibration.fitOnRerankedRun(candidates, candidates, none, 2)).isEqualTo(Calibration.IDENTITY);
  }

  @Test
  void fitsOnlyTheRerankedTopOfARun() {
    // the third candidate is past the rerank depth: its score is the reranker's filler, not a logit
    Run candidates = Run.builder("c").put("q", List.of(new ScoredDoc("a", 3), new ScoredDoc("b", 2),
        new ScoredDoc("c", 1))).build();
    Run reranked = Run.builder("r").put("q", List.of(new ScoredDoc("b", 4), new ScoredDoc("a", -4),
        new ScoredDoc("c", -1000))).build();
    Qrels qrels = Qrels.builder(Path.of("qrels")).add("q", "b", 1, 0).build();
    Calibration c = Calibration.fitOnRerankedRun(candidates, reranked, qrels, 2);
    assertThat(c.pairs()).isEqualTo(2);
    assertThat(c.positives()).isEqualTo(1);
    assertThat(c.probability(4)).isGreaterThan(0.5);
    assertThat(Calibration.fromJson(c.toJson())).isEqualTo(c);
    assertThat(Calibration.fromJson(null)).isEqualTo(Calibration.IDENTITY);
    assertThat(Calibration.IDENTITY.probability(0)).isEqualTo(0.5);
  }
}
