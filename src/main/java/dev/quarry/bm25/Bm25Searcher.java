package dev.quarry.bm25;

import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import dev.quarry.util.Parallel;
import dev.quarry.util.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.util.BytesRef;

/**
 * BM25 search as Anserini's {@code -bm25} does it: the query is analyzed like the documents, each distinct term
 * becomes a SHOULD clause boosted by its count in the query, and in multifield mode the per-field queries are summed
 * with weight 1. Hits are ordered by score, ties by document id descending (trec_eval's order, so the ranks in a
 * written run are the ranks trec_eval evaluates). Thread-safe.
 */
public final class Bm25Searcher {
  private static final Sort SCORE_THEN_ID_DESC =
      new Sort(SortField.FIELD_SCORE, new SortField(Bm25Index.ID, SortField.Type.STRING, true));

  private final IndexSearcher searcher;
  private final Bm25Config config;
  private final Analyzer analyzer = new EnglishAnalyzer();

  Bm25Searcher(DirectoryReader reader, Bm25Config config) {
    this.searcher = new IndexSearcher(reader);
    this.searcher.setSimilarity(new BM25Similarity(config.k1(), config.b()));
    this.config = config;
  }

  /** The top {@code k} documents for one query; empty when no query term is in the index. */
  public List<ScoredDoc> search(String queryText, int k) {
    if (k <= 0) {
      throw new IllegalArgumentException("k must be positive; k=" + k);
    }
    org.apache.lucene.search.Query query = query(queryText);
    try {
      TopDocs top = searcher.search(query, k, SCORE_THEN_ID_DESC, true);
      String[] ids = ids(top.scoreDocs);
      List<ScoredDoc> hits = new ArrayList<>(top.scoreDocs.length);
      for (int i = 0; i < ids.length; i++) {
        hits.add(new ScoredDoc(ids[i], top.scoreDocs[i].score));
      }
      return hits;
    } catch (IOException e) {
      throw new UncheckedIOException("BM25 search failed for query \"" + queryText + "\"", e);
    }
  }

  /**
   * The BM25 scores of the given documents for one query, in their order: exactly what {@link #search} would give
   * them, 0 for a document that matches no query term.
   *
   * @throws IllegalArgumentException naming a document the index does not have
   */
  public float[] scores(String queryText, List<String> docIds) {
    List<BytesRef> terms = docIds.stream().distinct().map(BytesRef::new).toList();
    org.apache.lucene.search.Query filtered = new BooleanQuery.Builder()
        .add(query(queryText), BooleanClause.Occur.SHOULD)
        .add(new TermInSetQuery(Bm25Index.ID, terms), BooleanClause.Occur.FILTER)
        .build();
    try {
      TopDocs top = searcher.search(filtered, Math.max(1, terms.size()));
      String[] ids = ids(top.scoreDocs);
      Map<String, Float> byId = new HashMap<>();
      for (int i = 0; i < ids.length; i++) {
        byId.put(ids[i], top.scoreDocs[i].score);
      }
      float[] out = new float[docIds.size()];
      for (int i = 0; i < out.length; i++) {
        Float score = byId.get(docIds.get(i));
        if (score == null) {
          throw new IllegalArgumentException("document " + docIds.get(i) + " is not in the BM25 index");
        }
        out[i] = score;
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("BM25 scoring failed for query \"" + queryText + "\"", e);
    }
  }

  /**
   * The ids of these hits, from the id field's doc values (visited in doc order, as doc values are read), not from
   * stored fields: an index that stores passage text would decompress a block of it per hit.
   */
  private String[] ids(ScoreDoc[] hits) throws IOException {
    Integer[] byDoc = new Integer[hits.length];
    for (int i = 0; i < hits.length; i++) {
      byDoc[i] = i;
    }
    java.util.Arrays.sort(byDoc, java.util.Comparator.comparingInt(i -> hits[i].doc));
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    String[] ids = new String[hits.length];
    int leafIndex = -1;
    SortedDocValues values = null;
    LeafReaderContext leaf = null;
    for (int i : byDoc) {
      int doc = hits[i].doc;
      int at = ReaderUtil.subIndex(doc, leaves);
      if (at != leafIndex) {
        leafIndex = at;
        leaf = leaves.get(at);
        values = DocValues.getSorted(leaf.reader(), Bm25Index.ID);
      }
      if (!values.advanceExact(doc - leaf.docBase)) {
        throw new IllegalStateException("document " + doc + " of the BM25 index has no id");
      }
      ids[i] = values.lookupOrd(values.ordValue()).utf8ToString();
    }
    return ids;
  }

  /**
   * Searches every query on {@code threads} threads. A query with no hits keeps an empty ranking in the run.
   *
   * @param removeQueryId drop hits whose id equals the query id (Anserini's {@code -removeQuery}, for collections
   *     where queries are also documents); off unless asked for
   */
  public Run searchAll(List<Query> queries, int k, String tag, int threads, boolean removeQueryId, Progress progress) {
    try (Progress.Task task = progress.start("search", queries.size())) {
      List<Callable<List<ScoredDoc>>> tasks = new ArrayList<>(queries.size());
      for (Query q : queries) {
        tasks.add(() -> {
          List<ScoredDoc> hits = search(q.text(), k);
          task.step();
          return removeQueryId ? hits.stream().filter(h -> !h.docId().equals(q.id())).toList() : hits;
        });
      }
      List<List<ScoredDoc>> hits = Parallel.invokeAll("bm25-search", threads, tasks);
      Run.Builder run = Run.builder(tag);
      for (int i = 0; i < queries.size(); i++) {
        run.put(queries.get(i).id(), hits.get(i));
      }
      return run.build();
    }
  }

  private org.apache.lucene.search.Query query(String queryText) {
    return config.fields() == Bm25Config.FieldMode.FLAT
        ? bagOfWords(Bm25Index.CONTENTS, queryText)
        : new BooleanQuery.Builder()
            .add(new BoostQuery(bagOfWords(Bm25Index.CONTENTS, queryText), 1f), BooleanClause.Occur.SHOULD)
            .add(new BoostQuery(bagOfWords(Bm25Index.TITLE, queryText), 1f), BooleanClause.Occur.SHOULD)
            .build();
  }

  private org.apache.lucene.search.Query bagOfWords(String field, String text) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    try (TokenStream stream = analyzer.tokenStream(field, text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        if (term.length() > 0) {
          counts.merge(term.toString(), 1, Integer::sum);
        }
      }
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (counts.size() > IndexSearcher.getMaxClauseCount()) {
      throw new IllegalArgumentException("query has " + counts.size() + " distinct terms, more than Lucene's limit of "
          + IndexSearcher.getMaxClauseCount() + ": " + text.substring(0, Math.min(80, text.length())) + "...");
    }
    BooleanQuery.Builder builder = new BooleanQuery.Builder();
    counts.forEach((t, c) -> builder.add(new BoostQuery(new TermQuery(new Term(field, t)), c), BooleanClause.Occur.SHOULD));
    return builder.build();
  }
}
