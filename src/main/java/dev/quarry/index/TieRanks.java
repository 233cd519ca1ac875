package dev.quarry.index;

import dev.quarry.data.TrecOrder;
import java.util.List;

/** Tie-break positions of document ids in {@link TrecOrder}, for hot loops. */
final class TieRanks {
  private TieRanks() {
  }

  /**
   * Each id's position in tie order: {@code ranks[i] < ranks[j]} when id {@code i} goes before id {@code j} on equal
   * scores (that is, when it is larger by code point). Lets hot loops break ties with one int comparison.
   */
  static int[] of(List<String> ids) {
    Integer[] order = new Integer[ids.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (x, y) -> TrecOrder.compareIds(ids.get(y), ids.get(x)));
    int[] ranks = new int[order.length];
    for (int r = 0; r < order.length; r++) {
      ranks[order[r]] = r;
    }
    return ranks;
  }
}
