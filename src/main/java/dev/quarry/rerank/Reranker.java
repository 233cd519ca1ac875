package dev.quarry.rerank;

import dev.quarry.data.Dataset;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import dev.quarry.data.TrecOrder;
import dev.quarry.util.Progress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reranks the top {@code k} of each query's ranking with a {@link CrossEncoder}. The top {@code k} (in trec_eval's
 * order) take the cross-encoder's logits as scores; the rest of the ranking stays below them in its old order, so
 * recall at depths past {@code k} is unchanged. A query the split does not have is an error; a run document the
 * corpus lacks is an error naming it.
 */
public final class Reranker {
  private final CrossEncoder model;
  private final int batchSize;

  public Reranker(CrossEncoder model, int batchSize) {
    this.model = model;
    this.batchSize = batchSize;
  }

  public Run rerank(Dataset dataset, String split, Run run, int k, String tag, Progress progress) {
    if (k <= 0) {
      throw new IllegalArgumentException("k must be positive; k=" + k);
    }
    Map<String, String> queries = new HashMap<>();
    for (Query q : dataset.queries(split)) {
      queries.put(q.id(), q.text());
    }
    Set<String> needed = new HashSet<>();
    Map<String, List<ScoredDoc>> ordered = new HashMap<>();
    for (String q : run.queryIds()) {
      if (!queries.containsKey(q)) {
        throw new IllegalArgumentException("the run has query " + q + ", which split " + split + " of "
            + dataset.root() + " does not have");
      }
      List<ScoredDoc> docs = TrecOrder.sorted(run.docs(q));
      ordered.put(q, docs);
      docs.subList(0, Math.min(k, docs.size())).forEach(d -> needed.add(d.docId()));
    }
    Map<String, String> texts = new HashMap<>();
    dataset.forEachPassage(p -> {
      if (needed.contains(p.id())) {
        texts.put(p.id(), p.titleAndText());
      }
    });
    for (String id : needed) {
      if (!texts.containsKey(id)) {
        throw new IllegalArgumentException("the run ranks document " + id + ", which the corpus of "
            + dataset.root() + " does not have");
      }
    }
    Run.Builder out = Run.builder(tag);
    try (Progress.Task task = progress.start("rerank", run.queryIds().size())) {
      for (String q : run.queryIds()) {
        List<ScoredDoc> docs = ordered.get(q);
        List<ScoredDoc> top = docs.subList(0, Math.min(k, docs.size()));
        float[] scores = model.score(top.stream().map(d -> queries.get(q)).toList(),
            top.stream().map(d -> texts.get(d.docId())).toList(), batchSize);
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
