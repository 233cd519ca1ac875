package dev.quarry.search;

import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import java.util.List;

/** Two small runs whose fused values are worked out by hand in the tests. */
final class FusionFixtures {
  private FusionFixtures() {
  }

  /** q1: d1 3, d2 2, d3 1. q3: retrieved nothing. */
  static Run a() {
    return Run.builder("a")
        .put("q1", List.of(new ScoredDoc("d1", 3), new ScoredDoc("d2", 2), new ScoredDoc("d3", 1)))
        .put("q3", List.of())
        .build();
  }

  /** q1: d3 10, d4 9, d1 8, stored out of order on purpose. q2: only in this run. */
  static Run b() {
    return Run.builder("b")
        .put("q1", List.of(new ScoredDoc("d1", 8), new ScoredDoc("d3", 10), new ScoredDoc("d4", 9)))
        .put("q2", List.of(new ScoredDoc("x", 5), new ScoredDoc("y", 5)))
        .build();
  }

  static List<String> ids(Run run, String qid) {
    return run.docs(qid).stream().map(ScoredDoc::docId).toList();
  }

  static List<Double> scores(Run run, String qid) {
    return run.docs(qid).stream().map(ScoredDoc::score).toList();
  }
}
