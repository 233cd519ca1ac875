package dev.quarry.search;

import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Weighted score fusion (a convex combination when weights sum to 1): per query, each run's best {@code depth}
 * scores are normalized on their own ({@link ScoreNormalization}), multiplied by the run's weight, and summed over
 * runs; a run that did not retrieve a document contributes 0 for it.
 */
public final class WeightedScoreFusion implements RunFusion {
  private final WeightedFusionConfig config;

  public WeightedScoreFusion(WeightedFusionConfig config) {
    this.config = java.util.Objects.requireNonNull(config, "config");
  }

  @Override
  public Run fuse(List<Run> runs, String tag) {
    FusionRuns.checkRuns(runs);
    if (runs.size() != config.weights().size()) {
      throw new IllegalArgumentException(
          "weighted fusion got " + runs.size() + " runs but " + config.weights().size() + " weights");
    }
    Run.Builder out = Run.builder(tag);
    for (String qid : FusionRuns.queryIds(runs)) {
      Map<String, Double> scores = new HashMap<>();
      for (int r = 0; r < runs.size(); r++) {
        List<ScoredDoc> top = FusionRuns.top(runs.get(r), qid, config.depth());
        if (top.isEmpty()) {
          continue;
        }
        double[] raw = new double[top.size()];
        for (int i = 0; i < raw.length; i++) {
          raw[i] = top.get(i).score();
        }
        double[] normalized = config.normalization().apply(raw);
        double weight = config.weights().get(r);
        for (int i = 0; i < raw.length; i++) {
          scores.merge(top.get(i).docId(), weight * normalized[i], Double::sum);
        }
      }
      out.put(qid, FusionRuns.ranking(scores, config.k()));
    }
    return out.build();
  }
}
