package dev.quarry.search;

import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): a document scores
 * {@code sum over runs of 1 / (rankConstant + rank)}, where {@code rank} is its 1-based rank in that run after
 * sorting the run in trec_eval's order, counting only the run's best {@code depth}; a run that did not retrieve it
 * adds nothing. Scores are ignored except to rank, so runs on different scales fuse without normalization.
 */
public final class ReciprocalRankFusion implements RunFusion {
  private final RrfConfig config;

  public ReciprocalRankFusion(RrfConfig config) {
    this.config = java.util.Objects.requireNonNull(config, "config");
  }

  @Override
  public Run fuse(List<Run> runs, String tag) {
    FusionRuns.checkRuns(runs);
    Run.Builder out = Run.builder(tag);
    for (String qid : FusionRuns.queryIds(runs)) {
      Map<String, Double> scores = new HashMap<>();
      for (Run run : runs) {
        List<ScoredDoc> top = FusionRuns.top(run, qid, config.depth());
        for (int i = 0; i < top.size(); i++) {
          scores.merge(top.get(i).docId(), 1.0 / (config.rankConstant() + i + 1), Double::sum);
        }
      }
      out.put(qid, FusionRuns.ranking(scores, config.k()));
    }
    return out.build();
  }
}
