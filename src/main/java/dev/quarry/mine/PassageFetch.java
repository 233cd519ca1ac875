package dev.quarry.mine;

import dev.quarry.data.Dataset;
import dev.quarry.data.Passage;
import dev.quarry.util.Progress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fetches the texts of the chosen passages and draws the random negatives, in as few corpus passes as it can: the
 * first pass fetches every passage already chosen and resolves each query's first random draws. A query whose draws
 * were rejected (a positive, a negative already, an answer inside) draws again in another pass, which on a large
 * corpus is rare. Each query draws a few spare positions per round, so that a round usually suffices; the result is
 * the first acceptable passages of the query's own draw sequence whatever the rounds were.
 */
final class PassageFetch {
  /** Spare positions drawn per query and round, beyond those still missing. */
  static final int SPARE_DRAWS = 4;

  private PassageFetch() {
  }

  /**
   * Fills each plan's random negatives (up to {@code randomPerQuery}) and returns the passages with the ids asked
   * for; ids the corpus lacks are simply absent.
   *
   * @param corpusSize the number of passages, or -1 when unknown (only allowed with {@code randomPerQuery == 0})
   */
  static Map<String, Passage> run(Dataset dataset, List<QueryPlan> plans, Set<String> ids, int randomPerQuery,
      int corpusSize, Progress progress) {
    Map<String, Passage> found = new HashMap<>();
    Set<String> pending = new HashSet<>(ids);
    int round = 0;
    while (true) {
      Map<QueryPlan, List<Integer>> draws = new LinkedHashMap<>();
      Set<Integer> indices = new HashSet<>();
      if (randomPerQuery > 0) {
        for (QueryPlan plan : plans) {
          int missing = randomPerQuery - plan.randoms.size();
          if (missing > 0) {
            List<Integer> drawn = plan.drawIndices(missing + SPARE_DRAWS, corpusSize);
            if (!drawn.isEmpty()) {
              draws.put(plan, drawn);
              indices.addAll(drawn);
            }
          }
        }
      }
      if (draws.isEmpty() && pending.isEmpty()) {
        return found;
      }
      round++;
      String task = draws.isEmpty() ? "mine: reading passages" : "mine: reading passages and random draws, round "
          + round;
      CorpusLookup.Found pass = CorpusLookup.scan(dataset, pending, indices, corpusSize, task, progress);
      found.putAll(pass.byId());
      pending.clear();
      for (Map.Entry<QueryPlan, List<Integer>> e : draws.entrySet()) {
        QueryPlan plan = e.getKey();
        for (int index : e.getValue()) {
          Passage p = pass.byIndex().get(index);
          if (plan.randoms.size() < randomPerQuery && p != null && plan.acceptsRandom(p)) {
            plan.addRandom(p);
          }
        }
      }
    }
  }
}
