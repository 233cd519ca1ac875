package dev.quarry.teacher;

import dev.quarry.data.ScoredDoc;
import java.util.List;

/**
 * Per-query z-score normalization of a member's scores against the member's own top hits for that query:
 * {@code (s - mean) / std} with the mean and the population standard deviation of the top scores. It puts BM25's
 * unbounded scores and a dense model's cosines on one scale, and, unlike normalizing over the candidates being
 * judged, gives a pair the same value whichever run it came from. With fewer than two top hits, or equal ones, the
 * deviation is taken as 1; with none, the mean as 0.
 */
final class ZScore {
  private ZScore() {
  }

  static float[] normalize(float[] scores, List<ScoredDoc> top) {
    double mean = 0;
    for (ScoredDoc d : top) {
      mean += d.score();
    }
    mean = top.isEmpty() ? 0 : mean / top.size();
    double variance = 0;
    for (ScoredDoc d : top) {
      variance += (d.score() - mean) * (d.score() - mean);
    }
    double std = top.size() < 2 ? 1 : Math.sqrt(variance / top.size());
    if (!(std > 1e-9)) {
      std = 1;
    }
    float[] out = new float[scores.length];
    for (int i = 0; i < scores.length; i++) {
      out[i] = (float) ((scores[i] - mean) / std);
    }
    return out;
  }
}
