package dev.quarry.rocketqa;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** A seeded sample of unlabeled queries, kept in their original order: the rule of every unlabeled-query source. */
final class QuerySample {
  private QuerySample() {
  }

  /** {@code count} of {@code all} (all of them when fewer), chosen by shuffling positions with {@code seed}. */
  static <T> List<T> of(List<T> all, int count, long seed) {
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      positions.add(i);
    }
    Collections.shuffle(positions, new Random(seed));
    List<Integer> chosen = new ArrayList<>(positions.subList(0, Math.min(count, positions.size())));
    Collections.sort(chosen);
    return chosen.stream().map(all::get).toList();
  }
}
