package dev.quarry.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunTest {
  private static List<String> ids(Run run, String q) {
    return run.docs(q).stream().map(ScoredDoc::docId).toList();
  }

  private static Run run() {
    // q1 listed out of order, with a score tie that trec_eval breaks by document id descending
    return Run.builder("t")
        .put("q1", List.of(new ScoredDoc("d1", 1.0), new ScoredDoc("d4", 4.0), new ScoredDoc("d2", 3.0),
            new ScoredDoc("d3", 3.0), new ScoredDoc("d5", 0.5)))
        .put("q2", List.of(new ScoredDoc("e1", 2.0)))
        .build();
  }

  @Test
  void ranksCutEachQuerysTrecEvalRanking() {
    Run window = run().ranks(2, 4);
    assertEquals(List.of("d3", "d2", "d1"), ids(window, "q1"));
    assertEquals(List.of(), ids(window, "q2"));
    assertEquals(List.of("q1", "q2"), List.copyOf(window.queryIds()));
    assertEquals("t", window.tag());
    assertEquals(List.of("d4", "d3", "d2", "d1", "d5"), ids(run().ranks(1, 99), "q1"));
    assertThrows(IllegalArgumentException.class, () -> run().ranks(0, 3));
    assertThrows(IllegalArgumentException.class, () -> run().ranks(3, 2));
  }

  @Test
  void keepingDocsOfFiltersPerQueryAndKeepsThisRunsScores() {
    Run other = Run.builder("o")
        .put("q1", List.of(new ScoredDoc("d5", 9.0), new ScoredDoc("d2", 9.0), new ScoredDoc("e1", 9.0)))
        .build();
    Run kept = run().keepingDocsOf(other);
    assertEquals(List.of("d2", "d5"), ids(kept, "q1"));
    assertEquals(3.0, kept.docs("q1").get(0).score());
    assertEquals(List.of(), ids(kept, "q2"));   // e1 is q1's in the other run, not q2's
    assertEquals("t", kept.tag());
  }
}
