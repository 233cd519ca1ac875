package dev.quarry.rerank;

import dev.quarry.data.Dataset;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import dev.quarry.data.TrecOrder;
import dev.quarry.util.Progress;
import java.util.ArrayList;
import java.util.List;

/**
 * Reranks the top {@code k} of each query's ranking with a {@link CrossEncoder}. The top {@code k} (in trec_eval's
 * order) take the cross-encoder's logits as scores; the rest of the ranking stays below them in its old order, so
 * recall at depths past {@code k} is unchanged. A query the split does not have is an error; a run document the
 * corpus lacks is an error naming it.
 */
public final class Reranker {
  private final PairJudge model;

  public Reranker(PairJudge model) {
    this.model = model;
  }

  /** With a cross-encoder scoring {@code batchSize} pairs a forward pass. */
  public Reranker(CrossEncoder model, int batchSize) {
    this(model.judge(batchSize));
  }

  public Run rerank(Dataset dataset, String split, Run run, int k, String tag, Progress progress) {
    return rerank(Candidates.of(dataset, split, run, k), tag, progress);
  }

  /**
   * Reorders each query's top candidates by the model's scores; the rest of its ranking follows, in its order, below
   * the lowest reranked score.
   */
  public Run rerank(Candidates candidates, String tag, Progress progress) {
    Run.Builder out = Run.builder(tag);
    try (Progress.Task task = progress.start("rerank", candidates.queryIds().size())) {
      for (String q : candidates.queryIds()) {
        List<ScoredDoc> docs = candidates.ranking(q);
        List<ScoredDoc> top = candidates.top(q);
        float[] scores = candidates.score(model, q);
        List<ScoredDoc> reranked = new ArrayList<>(docs.size());
        double lowest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < top.size(); i++) {
          reranked.add(new ScoredDoc(top.get(i).docId(), scores[i]));
          lowest = Math.min(lowest, scores[i]);
        }
        for (int i = top.size(); i < docs.size(); i++) {
          reranked.add(new ScoredDoc(docs.get(i).docId(), lowest - 1 - (i - top.size())));
        }
        out.put(q, TrecOrder.sorted(reranked));
        task.step(1);
      }
    }
    return out.build();
  }
}
