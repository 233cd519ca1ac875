package dev.quarry.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
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

  /**
   * Each query's documents at ranks {@code from..to} (1-based, inclusive) in trec_eval's order ({@link TrecOrder}),
   * best first, under the same tag; a query ranking fewer than {@code from} documents keeps an empty ranking.
   */
  public Run ranks(int from, int to) {
    if (from < 1 || to < from) {
      throw new IllegalArgumentException("ranks need 1 <= from <= to; found from=" + from + ", to=" + to);
    }
    Builder b = builder(tag);
    byQuery.forEach((q, docs) -> {
      List<ScoredDoc> ranked = TrecOrder.sorted(docs);
      b.put(q, ranked.subList(Math.min(from - 1, ranked.size()), Math.min(to, ranked.size())));
    });
    return b.build();
  }

  /**
   * Each query's documents that {@code other} also lists for that query, in this run's order and with this run's
   * scores, under the same tag; a query {@code other} does not rank keeps an empty ranking.
   */
  public Run keepingDocsOf(Run other) {
    Builder b = builder(tag);
    byQuery.forEach((q, docs) -> {
      Set<String> allowed = new HashSet<>();
      other.docs(q).forEach(d -> allowed.add(d.docId()));
      b.put(q, docs.stream().filter(d -> allowed.contains(d.docId())).toList());
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
