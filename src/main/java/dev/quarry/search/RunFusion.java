package dev.quarry.search;

import dev.quarry.data.Run;
import java.util.List;

/** Combines several runs over the same queries into one. */
public interface RunFusion {
  /**
   * Fuses {@code runs}. The result has every query of any run (in first-seen order, run by run), each ranking
   * sorted in trec_eval's order; a query that no run retrieved anything for keeps an empty ranking.
   */
  Run fuse(List<Run> runs, String tag);
}
