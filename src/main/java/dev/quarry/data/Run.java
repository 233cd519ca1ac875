package dev.quarry.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A ranking per query, as a retriever produced it or as a run file lists it. Each query's documents keep the order
 * they were added in; evaluation re-sorts them with trec_eval's rule (see {@code dev.quarry.eval.RankedList}).
 */
public final class Run {
  private final Map<String, List<ScoredDoc>> byQuery;
  private final String tag;

  private Run(Map<String, List<ScoredDoc>> byQuery, String tag) {
    this.byQuery = byQuery;
    this.tag = tag;
  }

  public static Builder builder(String tag) {
    return new Builder(tag);
  }

  /** Query ids, in first-seen order. */
  public Set<String> queryIds() {
    return byQuery.keySet();
  }

  /** The documents retrieved for a query (empty when it has none). */
  public List<ScoredDoc> docs(String queryId) {
    return byQuery.getOrDefault(queryId, List.of());
  }

  /** The run's tag (the sixth column of a TREC run). */
  public String tag() {
    return tag;
  }

  /** The same rankings under another tag. */
  public Run withTag(String newTag) {
    return new Run(byQuery, Objects.requireNonNull(newTag, "tag"));
  }

  /** The given queries that this run ranks, in their order. */
  public List<Query> rankedOf(List<Query> queries) {
    return queries.stream().filter(q -> byQuery.containsKey(q.id())).toList();
  }

  /** The rankings of the given queries only, in this run's order, under the same tag. */
  public Run restrictTo(Set<String> queryIds) {
    Builder b = builder(tag);
    byQuery.forEach((q, docs) -> {
      if (queryIds.contains(q)) {
        b.put(q, docs);
      }
    });
    return b.build();
  }

  public int size() {
    return byQuery.values().stream().mapToInt(List::size).sum();
  }

  /** Collects rankings; thread-confined. */
  public static final class Builder {
    private final Map<String, List<ScoredDoc>> byQuery = new LinkedHashMap<>();
    private final String tag;

    private Builder(String tag) {
      this.tag = Objects.requireNonNull(tag, "tag");
    }

    public Builder add(String queryId, ScoredDoc doc) {
      byQuery.computeIfAbsent(queryId, q -> new ArrayList<>()).add(doc);
      return this;
    }

    /** Adds a query's ranking; a query with an empty ranking is kept, so it still counts as retrieved-nothing. */
    public Builder put(String queryId, List<ScoredDoc> docs) {
      byQuery.computeIfAbsent(queryId, q -> new ArrayList<>()).addAll(docs);
      return this;
    }

    public Run build() {
      Map<String, List<ScoredDoc>> frozen = new LinkedHashMap<>();
      byQuery.forEach((q, docs) -> frozen.put(q, Collections.unmodifiableList(docs)));
      return new Run(Collections.unmodifiableMap(frozen), tag);
    }
  }
}
