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
  void convergesWhereAFullNewtonStepOvershoots() {
    // Real data: the fused scores (rounded to tenths) of a BM25 + all-minilm-l6-v2 teacher on its 17,061 SciFact dev
    // pairs, 101 of them relevant. Newton's undamped step from the prior went to a scale of 6.7e10 on exactly these.
    int[] tenths = {-98, -91, -89, -82, -81, -80, -79, -78, -77, -76, -75, -74, -73, -72, -69, -68, -67, -66,
        -65, -64, -63, -61, -60, -59, -58, -57, -56, -55, -54, -53, -52, -51, -50, -49, -48, -47, -46, -45,
        -44, -43, -42, -41, -40, -39, -38, -37, -36, -35, -34, -33, -32, -31, -30, -29, -28, -27, -26, -25,
        -24, -23, -22, -21, -20, -19, -18, -17, -16, -15, -14, -13, -12, -11, -10, -9, -8, -7, -6, -5, -4, -3,
        -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
        26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 45, 46, 47, 48, 49, 50, 51,
        53, 54, 55, 56, 58, 59, 60, 61, 64, 66, 67, 68, 70, 73, 74, 75, 76, 80};
    int[] negatives = {1, 1, 1, 2, 2, 4, 3, 1, 2, 2, 1, 1, 1, 2, 1, 1, 1, 2, 3, 3, 7, 3, 5, 4, 10, 3, 3, 11,
        7, 7, 10, 3, 12, 18, 21, 20, 21, 13, 28, 35, 27, 50, 38, 50, 48, 51, 54, 68, 78, 98, 103, 98, 132,
        160, 164, 185, 218, 213, 274, 332, 330, 406, 434, 494, 539, 620, 637, 684, 759, 825, 850, 748, 725,
        665, 651, 595, 536, 413, 367, 328, 296, 264, 250, 199, 180, 142, 150, 119, 113, 103, 92, 80, 57, 70,
        69, 43, 42, 34, 33, 34, 22, 27, 26, 21, 16, 17, 17, 16, 9, 11, 14, 6, 6, 8, 3, 9, 5, 2, 1, 5, 2, 3, 1,
        2, 1, 1, 1, 5, 2, 1, 1, 2, 1, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    int[] positives = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0,
        0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 2, 0, 0, 0, 0, 0, 2, 1, 0, 0, 3, 1,
        5, 0, 0, 2, 0, 1, 1, 1, 1, 0, 0, 0, 1, 4, 3, 3, 1, 1, 0, 0, 1, 1, 4, 2, 2, 2, 4, 3, 0, 1, 1, 2, 2, 0,
        1, 1, 3, 1, 2, 1, 1, 2, 3, 2, 2, 1, 4, 4, 2, 1, 2, 1, 2, 1};
    int n = java.util.Arrays.stream(negatives).sum() + java.util.Arrays.stream(positives).sum();
    float[] scores = new float[n];
    boolean[] relevant = new boolean[n];
    int at = 0;
    for (int v = 0; v < tenths.length; v++) {
      for (int i = 0; i < negatives[v] + positives[v]; i++, at++) {
        scores[at] = tenths[v] / 10f;
        relevant[at] = i >= negatives[v];
      }
    }
    Calibration c = Calibration.fit(scores, relevant);
    assertThat(c.positives()).isEqualTo(101);
    double hi = (c.positives() + 1.0) / (c.positives() + 2.0);
    double lo = 1.0 / (n - c.positives() + 2.0);
    double ga = 0;
    double gb = 0;
    for (int i = 0; i < n; i++) {
      double residual = c.probability(scores[i]) - (relevant[i] ? hi : lo);
      ga += residual * scores[i];
      gb += residual;
    }
    assertThat(ga).as("d log-likelihood / d scale at the fit").isCloseTo(0, within(1e-6));
    assertThat(gb).as("d log-likelihood / d bias at the fit").isCloseTo(0, within(1e-6));
    // the same maximum-likelihood fit done apart from Quarry (numpy: BFGS from (0, 0), then Newton's full steps to a
    // gradient below 1e-13 on these 17,061 pairs, as doubles of the float scores): scale 1.37671457, bias -5.9608555
    assertThat(c.scale()).isCloseTo(1.37671457, within(1e-6));
    assertThat(c.bias()).isCloseTo(-5.9608555, within(1e-6));
  }

  @Test
  void separableLabelsStillGiveAFiniteScale() {
    Calibration c = Calibration.fit(new float[] {-2, -1, 1, 2}, new boolean[] {false, false, true, true});
    // Platt's targets are 3/4 and 1/4; the data are symmetric under x -> -x with the labels swapped, so the bias is 0
    // and d/d scale = 0 reads 2 (s(2a) - 3/4) + (s(a) - 3/4) - (s(-a) - 1/4) - 2 (s(-2a) - 1/4) = 0, that is
    // 2 s(2a) + s(a) = 9/4, whose root (bisection) is a = 0.6739964; the probability at 2 is s(2a) = 0.7938013
    assertThat(c.scale()).isCloseTo(0.6739964, within(1e-6));
    assertThat(c.bias()).isCloseTo(0.0, within(1e-9));
    assertThat(c.probability(2)).isCloseTo(0.7938013, within(1e-6));
    assertThat(c.probability(-2)).isCloseTo(1 - 0.7938013, within(1e-6));
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
    // two pairs, logits 4 (relevant) and -4: Platt's targets 2/3 and 1/3 are met exactly by bias 0 and
    // s(4 * scale) = 2/3, that is scale = ln(2) / 4
    assertThat(c.scale()).isCloseTo(Math.log(2) / 4, within(1e-9));
    assertThat(c.bias()).isCloseTo(0.0, within(1e-9));
    assertThat(c.probability(4)).isCloseTo(2.0 / 3, within(1e-9));
    assertThat(c.probability(-4)).isCloseTo(1.0 / 3, within(1e-9));
    assertThat(Calibration.fromJson(c.toJson())).isEqualTo(c);
    assertThat(Calibration.fromJson(null)).isEqualTo(Calibration.IDENTITY);
    assertThat(Calibration.IDENTITY.probability(0)).isEqualTo(0.5);
  }
}
