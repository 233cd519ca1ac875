package dev.quarry.rerank;

import dev.quarry.data.Dataset;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import dev.quarry.data.TrecOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The top {@code depth} of each query's ranking in a run (trec_eval's order), with the query and passage texts a
 * judge needs. Only those passages' texts are kept in memory. A run query the split lacks, or a run document
 * the corpus lacks, is an error naming it.
 */
public final class Candidates {
  private final Map<String, String> queries;
  private final Map<String, List<ScoredDoc>> ranked;
  private final Map<String, Passage> passages;
  private final int depth;

  private Candidates(Map<String, String> queries, Map<String, List<ScoredDoc>> ranked, Map<String, Passage> passages,
      int depth) {
    this.queries = queries;
    this.ranked = ranked;
    this.passages = passages;
    this.depth = depth;
  }

  public static Candidates of(Dataset dataset, String split, Run run, int depth) {
    return of(dataset.queries(split), "split " + split + " of " + dataset.root(), dataset, run, depth);
  }

  /** Candidates of queries that need not be a split's (for example pseudo-queries); {@code where} names them. */
  public static Candidates of(List<Query> queryList, String where, Dataset dataset, Run run, int depth) {
    return of(queryList, where, needed -> {
      Map<String, Passage> passages = new HashMap<>();
      dataset.forEachPassage(p -> {
        if (needed.contains(p.id())) {
          passages.put(p.id(), p);
        }
      });
      return passages;
    }, "the corpus of " + dataset.root(), run, depth);
  }

  /**
   * Candidates whose passages come from {@code lookup} (given the ids needed, the passages it has among them), such
   * as a search index's stored text; {@code where} names the queries and {@code corpus} the passages in errors.
   */
  public static Candidates of(List<Query> queryList, String where, Function<Set<String>, Map<String, Passage>> lookup,
      String corpus, Run run, int depth) {
    if (depth <= 0) {
      throw new IllegalArgumentException("depth must be positive; depth=" + depth);
    }
    Map<String, String> queries = new HashMap<>();
    for (Query q : queryList) {
      queries.put(q.id(), q.text());
    }
    Set<String> needed = new HashSet<>();
    Map<String, List<ScoredDoc>> ranked = new LinkedHashMap<>();
    for (String q : run.queryIds()) {
      if (!queries.containsKey(q)) {
        throw new IllegalArgumentException("the run has query " + q + ", which " + where + " does not have");
      }
      List<ScoredDoc> docs = TrecOrder.sorted(run.docs(q));
      ranked.put(q, docs);
      docs.subList(0, Math.min(depth, docs.size())).forEach(d -> needed.add(d.docId()));
    }
    Map<String, Passage> passages = lookup.apply(needed);
    for (String id : needed) {
      if (!passages.containsKey(id)) {
        throw new IllegalArgumentException("the run ranks document " + id + ", which " + corpus + " does not have");
      }
    }
    return new Candidates(queries, ranked, passages, depth);
  }

  /** The same candidates cut to a smaller depth (the passages of the deeper ones stay in memory). */
  public Candidates limitedTo(int newDepth) {
    if (newDepth <= 0 || newDepth > depth) {
      throw new IllegalArgumentException("depth must be in [1, " + depth + "]; depth=" + newDepth);
    }
    return new Candidates(queries, ranked, passages, newDepth);
  }

  /** The run's queries, in run order. */
  public Set<String> queryIds() {
    return ranked.keySet();
  }

  /** A query's whole ranking, best first. */
  public List<ScoredDoc> ranking(String queryId) {
    return ranked.get(queryId);
  }

  /** A query's top {@code depth}, best first. */
  public List<ScoredDoc> top(String queryId) {
    List<ScoredDoc> docs = ranked.get(queryId);
    return docs.subList(0, Math.min(depth, docs.size()));
  }

  /** A query's text. */
  public String query(String queryId) {
    return queries.get(queryId);
  }

  /** A passage in some query's top {@code depth}. */
  public Passage passage(String docId) {
    return passages.get(docId);
  }

  /** The judge's scores for a query's top {@code depth}, in rank order. */
  public float[] score(PairJudge judge, String queryId) {
    return judge.score(new Query(queryId, queries.get(queryId)),
        top(queryId).stream().map(d -> passages.get(d.docId())).toList());
  }
}
