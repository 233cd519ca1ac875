package dev.quarry.rocketqa;

import dev.quarry.data.Dataset;
import dev.quarry.data.Query;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Unlabeled queries for data augmentation where a dataset ships none (SciFact): the titles of corpus documents, as
 * query id {@code pseudo-<doc id>}. Documents judged in any split are left out, so neither the training labels nor
 * the test labels leak into the pseudo-queries; documents without a title are skipped. A seeded sample of
 * {@code count} of them is taken, in corpus order.
 */
public final class PseudoQueries {
  /** The prefix of a pseudo-query's id. */
  public static final String ID_PREFIX = "pseudo-";

  private PseudoQueries() {
  }

  public static List<Query> fromTitles(Dataset dataset, int count, long seed) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative; count=" + count);
    }
    Set<String> judged = new HashSet<>();
    for (String split : dataset.splits()) {
      var qrels = dataset.qrels(split);
      qrels.queryIds().forEach(q -> judged.addAll(qrels.judgments(q).keySet()));
    }
    List<Query> all = new ArrayList<>();
    dataset.forEachPassage(p -> {
      if (!judged.contains(p.id()) && !p.title().isBlank()) {
        all.add(new Query(ID_PREFIX + p.id(), p.title().strip()));
      }
    });
    return QuerySample.of(all, count, seed);
  }
}
