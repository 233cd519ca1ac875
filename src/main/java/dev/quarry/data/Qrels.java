package dev.quarry.data;

import dev.quarry.io.DataFormatException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Relevance judgments: for each query id, the judged document ids with their graded relevance (0 = judged not
 * relevant; negative values are kept as given). Queries and documents keep the order of the file they came from.
 * Immutable; build one with {@link #builder(Path)}.
 */
public final class Qrels {
  private final Map<String, Map<String, Integer>> byQuery;
  private final Map<String, Long> lines;
  private final Path source;
  private final int size;

  private Qrels(Map<String, Map<String, Integer>> byQuery, Map<String, Long> lines, Path source, int size) {
    this.byQuery = byQuery;
    this.lines = lines;
    this.source = source;
    this.size = size;
  }

  /** A builder that reports problems against {@code source} (which may be null for judgments made in memory). */
  public static Builder builder(Path source) {
    return new Builder(source);
  }

  /** Query ids, in first-seen order. */
  public Set<String> queryIds() {
    return byQuery.keySet();
  }

  /** The judgments of one query (doc id to relevance), empty if the query has none. */
  public Map<String, Integer> judgments(String queryId) {
    return byQuery.getOrDefault(queryId, Map.of());
  }

  /** The documents judged relevant (relevance above 0) for a query, in judgment order. */
  public List<String> relevant(String queryId) {
    List<String> docs = new ArrayList<>();
    judgments(queryId).forEach((doc, relevance) -> {
      if (relevance > 0) {
        docs.add(doc);
      }
    });
    return docs;
  }

  /** The relevance of {@code docId} for {@code queryId}, if it was judged. */
  public Optional<Integer> relevance(String queryId, String docId) {
    return Optional.ofNullable(judgments(queryId).get(docId));
  }

  /** The judgments of the given queries only (line numbers are kept for error messages). */
  public Qrels restrictTo(Set<String> queryIds) {
    Builder b = builder(source);
    byQuery.forEach((q, docs) -> {
      if (queryIds.contains(q)) {
        docs.forEach((d, r) -> {
          Long line = lines.get(q + '\t' + d);
          b.add(q, d, r, line == null ? 0 : line);
        });
      }
    });
    return b.build();
  }

  /** Number of judgments. */
  public int size() {
    return size;
  }

  /** The file these judgments were read from, or null. */
  public Path source() {
    return source;
  }

  /** {@code file:line} of a judgment, for error messages; just the file if the line is unknown. */
  public String locate(String queryId, String docId) {
    Long line = lines.get(queryId + '\t' + docId);
    return line == null ? String.valueOf(source) : source + ":" + line;
  }

  /** A {@link DataFormatException} that points at the line of a judgment. */
  public DataFormatException errorAt(String queryId, String docId, String problem) {
    Long line = lines.get(queryId + '\t' + docId);
    return new DataFormatException(source, line == null ? 0 : line, problem);
  }

  /** Collects judgments; a query/document pair judged twice is an error naming both lines. */
  public static final class Builder {
    private final Path source;
    private final Map<String, Map<String, Integer>> byQuery = new LinkedHashMap<>();
    private final Map<String, Long> lines = new HashMap<>();
    private int size;

    private Builder(Path source) {
      this.source = source;
    }

    public Builder add(String queryId, String docId, int relevance, long line) {
      Ids.check(queryId, "query id", problem -> new DataFormatException(source, line, problem));
      Ids.check(docId, "document id", problem -> new DataFormatException(source, line, problem));
      Map<String, Integer> docs = byQuery.computeIfAbsent(queryId, q -> new LinkedHashMap<>());
      if (docs.putIfAbsent(docId, relevance) != null) {
        Long first = lines.get(queryId + '\t' + docId);
        throw new DataFormatException(source, line, "query " + queryId + " judges document " + docId
            + " twice" + (first == null ? "" : " (first at line " + first + ")"));
      }
      if (line > 0) {
        lines.put(queryId + '\t' + docId, line);
      }
      size++;
      return this;
    }

    public Qrels build() {
      Map<String, Map<String, Integer>> frozen = new LinkedHashMap<>();
      byQuery.forEach((q, docs) -> frozen.put(q, Collections.unmodifiableMap(docs)));
      return new Qrels(Collections.unmodifiableMap(frozen), lines, source, size);
    }
  }
}
