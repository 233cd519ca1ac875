package dev.quarry.mine;

import dev.quarry.data.Query;
import dev.quarry.data.TrecOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A dev set carved out of training queries by a seeded rule, for choosing checkpoints and settings without touching
 * the test split (SciFact, for one, ships no dev split).
 *
 * <p>The rule, to reproduce it elsewhere: sort the distinct query ids by code point (Python's {@code sorted}); shuffle
 * them with {@code java.util.Collections.shuffle(ids, new java.util.Random(seed))} (from the last position down to
 * the second, swap position {@code i} with {@code random.nextInt(i + 1)}); the first {@code devSize} ids are dev, the
 * rest train. Both lists are returned sorted by code point. The same ids, size and seed always give the same split,
 * whatever order the ids came in.
 *
 * @param train the training ids, sorted by code point
 * @param dev the held-out ids, sorted by code point; disjoint from {@code train}
 */
public record DevSplit(List<String> train, List<String> dev) {
  public DevSplit {
    train = List.copyOf(train);
    dev = List.copyOf(dev);
  }

  /**
   * Holds {@code devSize} of {@code queryIds} out as dev.
   *
   * @throws IllegalArgumentException if an id repeats or {@code devSize} is negative or more than the ids
   */
  public static DevSplit carve(Collection<String> queryIds, int devSize, long seed) {
    List<String> ids = new ArrayList<>(queryIds);
    if (new HashSet<>(ids).size() != ids.size()) {
      throw new IllegalArgumentException("query ids must be distinct to carve a dev split");
    }
    if (devSize < 0 || devSize > ids.size()) {
      throw new IllegalArgumentException("devSize must be between 0 and the number of queries (" + ids.size()
          + "); devSize=" + devSize);
    }
    ids.sort(TrecOrder::compareIds);
    Collections.shuffle(ids, new Random(seed));
    List<String> dev = new ArrayList<>(ids.subList(0, devSize));
    List<String> train = new ArrayList<>(ids.subList(devSize, ids.size()));
    dev.sort(TrecOrder::compareIds);
    train.sort(TrecOrder::compareIds);
    return new DevSplit(train, dev);
  }

  /** {@link #carve(Collection, int, long)} over the ids of {@code queries}. */
  public static DevSplit carveQueries(List<Query> queries, int devSize, long seed) {
    return carve(queries.stream().map(Query::id).toList(), devSize, seed);
  }

  /**
   * A seeded sample of {@code n} of the queries, in their order (all of them when {@code n} is not below their
   * count): the held-out side of {@link #carveQueries}, so the same queries, n and seed always give the same sample.
   */
  public static List<Query> sample(List<Query> queries, int n, long seed) {
    return n >= queries.size() ? queries : select(queries, carveQueries(queries, n, seed).dev());
  }

  /** The queries whose ids are in {@code ids}, in the order of {@code queries}. */
  public static List<Query> select(List<Query> queries, Collection<String> ids) {
    Set<String> wanted = new HashSet<>(ids);
    return queries.stream().filter(q -> wanted.contains(q.id())).toList();
  }
}
