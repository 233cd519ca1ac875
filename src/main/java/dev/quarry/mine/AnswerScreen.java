package dev.quarry.mine;

import dev.quarry.data.Dataset;
import dev.quarry.eval.DprAnswerMatcher;
import dev.quarry.util.Progress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link PositiveRule#ANSWERS}: one pass over the corpus that removes from each query's candidates those whose text
 * contains one of its answers. Only candidates in the rank range are tokenized, each once however many queries rank
 * it; no text is kept.
 */
final class AnswerScreen {
  /** How many candidates were removed, and the corpus size the pass counted. */
  record Result(long dropped, int corpusSize) {
  }

  private AnswerScreen() {
  }

  static Result screen(Dataset dataset, List<QueryPlan> plans, Progress progress) {
    Map<String, List<QueryPlan>> byDoc = new HashMap<>();
    for (QueryPlan plan : plans) {
      for (QueryPlan.Candidate c : plan.candidates) {
        byDoc.computeIfAbsent(c.docId(), d -> new ArrayList<>(1)).add(plan);
      }
    }
    Map<QueryPlan, Set<String>> withAnswer = new HashMap<>();
    int[] size = {0};
    try (Progress.Task task = progress.start("mine: checking candidates for answers", -1)) {
      dataset.forEachPassage(p -> {
        size[0]++;
        task.step();
        List<QueryPlan> ranking = byDoc.get(p.id());
        if (ranking == null) {
          return;
        }
        List<String> tokens = DprAnswerMatcher.tokens(p.text());
        for (QueryPlan plan : ranking) {
          if (plan.containsAnswer(tokens)) {
            withAnswer.computeIfAbsent(plan, q -> new HashSet<>()).add(p.id());
          }
        }
      });
    }
    long dropped = 0;
    for (Map.Entry<QueryPlan, Set<String>> e : withAnswer.entrySet()) {
      int before = e.getKey().candidates.size();
      e.getKey().candidates.removeIf(c -> e.getValue().contains(c.docId()));
      dropped += before - e.getKey().candidates.size();
    }
    return new Result(dropped, size[0]);
  }
}
