package dev.quarry.index;

import dev.quarry.data.ScoredDoc;
import dev.quarry.util.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Approximate search over a Lucene HNSW graph, in memory ({@link ByteBuffersDirectory}) or in a folder.
 *
 * <p>Index layout: one Lucene document per vector, in input order, with the fields {@code id} (stored string: the
 * document id), {@code ordinal} (stored int: the vector's position in the input) and {@code vector}
 * ({@code KnnFloatVectorField}), written with Lucene's default codec whose vectors format is set per field by
 * {@link HnswWriter}. Cosine is Lucene's {@code DOT_PRODUCT} over vectors normalized on the way in; dot product is
 * Lucene's {@code MAXIMUM_INNER_PRODUCT}. The index is merged to one segment. A folder also holds
 * {@value #MANIFEST}, recording the settings and versions it was built with.
 *
 * <p>Search: a {@link KnnFloatVectorQuery} collects {@code max(k, efSearch)} candidates, which are rescored exactly
 * from the float vectors stored in the index (with the same {@link DotProduct} as {@link FlatVectorIndex}) and the
 * best {@code k} kept in trec_eval's order. Scores are therefore exact dot products, equal to the flat index's for
 * the same hit, also when the graph is 8-bit quantized. When the candidates would cover the whole index, every
 * vector is scored instead (exact search).
 */
public final class HnswVectorIndex implements VectorIndex {
  static final String ID = "id";
  static final String ORDINAL = "ordinal";
  static final String VECTOR = "vector";
  static final String MANIFEST = "quarry-manifest.json";

  private final Path path;
  private final Directory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final List<LeafReaderContext> leaves;
  private final String[] ids;
  private final int[] tieRanks;
  private final Similarity similarity;
  private final int dimension;
  private final int efSearch;
  private final int threads;

  private HnswVectorIndex(Path path, Directory directory, DirectoryReader reader, Similarity similarity,
      int dimension, String[] ids, VectorIndexConfig config) {
    this.path = path;
    this.directory = directory;
    this.reader = reader;
    this.searcher = new IndexSearcher(reader);
    this.searcher.setQueryCache(null);
    this.leaves = reader.leaves();
    this.ids = ids;
    this.tieRanks = TieRanks.of(List.of(ids));
    this.similarity = similarity;
    this.dimension = dimension;
    this.efSearch = config.hnsw().efSearch();
    this.threads = config.threads();
  }

  /** Builds an index in memory. */
  public static HnswVectorIndex buildInMemory(List<String> ids, float[][] vectors, VectorIndexConfig config,
      Progress progress) {
    checkType(config);
    Directory directory = new ByteBuffersDirectory();
    try {
      HnswWriter.write(directory, ids, vectors, config, progress);
      return open(null, directory, config);
    } catch (IOException | RuntimeException e) {
      closeQuietly(directory, e);
      throw e instanceof IOException io ? new UncheckedIOException("cannot build the HNSW index in memory", io)
          : (RuntimeException) e;
    }
  }

  /**
   * Builds an index in {@code folder}, which must be absent or empty. The index is built in a temporary folder
   * beside it and renamed into place, so a failed build leaves nothing behind.
   */
  public static HnswVectorIndex build(List<String> ids, float[][] vectors, VectorIndexConfig config, Path folder,
      Progress progress) {
    checkType(config);
    HnswWriter.writeFolder(folder, ids, vectors, config, progress);
    return open(folder, config);
  }

  /**
   * Opens an index built by {@link #build}. Its similarity must be {@code config}'s; {@code config} also gives
   * efSearch and the search threads (graph settings are fixed at build time).
   */
  public static HnswVectorIndex open(Path folder, VectorIndexConfig config) {
    checkType(config);
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException("no HNSW index at " + folder + ": not a folder");
    }
    FSDirectory directory = null;
    try {
      directory = FSDirectory.open(folder);
      return open(folder, directory, config);
    } catch (IOException | RuntimeException e) {
      closeQuietly(directory, e);
      throw e instanceof IOException io ? new UncheckedIOException("cannot open the HNSW index in " + folder, io)
          : (RuntimeException) e;
    }
  }

  private static HnswVectorIndex open(Path folder, Directory directory, VectorIndexConfig config)
      throws IOException {
    String where = folder == null ? "the in-memory HNSW index" : "the HNSW index in " + folder;
    DirectoryReader reader = DirectoryReader.open(directory);
    try {
      int dimension = -1;
      VectorSimilarityFunction function = null;
      for (LeafReaderContext leaf : reader.leaves()) {
        FieldInfo info = leaf.reader().getFieldInfos().fieldInfo(VECTOR);
        FloatVectorValues values = leaf.reader().getFloatVectorValues(VECTOR);
        if (info == null || values == null || values.size() != leaf.reader().maxDoc()) {
          throw new IllegalArgumentException(where + " is not a Quarry vector index: every document needs a vector");
        }
        dimension = info.getVectorDimension();
        function = info.getVectorSimilarityFunction();
      }
      if (function == null) {
        throw new IllegalArgumentException(where + " is empty");
      }
      Similarity found = HnswWriter.similarityOf(function);
      if (found == null) {
        throw new IllegalArgumentException(where + " uses Lucene's " + function + ", which Quarry does not build");
      }
      if (found != config.similarity()) {
        throw new IllegalArgumentException(
            where + " was built for " + found + " similarity, but " + config.similarity() + " was asked for");
      }
      return new HnswVectorIndex(folder, directory, reader, found, dimension, loadIds(reader, where), config);
    } catch (IOException | RuntimeException e) {
      closeQuietly(reader, e);
      throw e;
    }
  }

  private static String[] loadIds(DirectoryReader reader, String where) throws IOException {
    String[] ids = new String[reader.maxDoc()];
    StoredFields stored = reader.storedFields();
    Set<String> fields = Set.of(ID);
    for (int doc = 0; doc < ids.length; doc++) {
      ids[doc] = stored.document(doc, fields).get(ID);
      if (ids[doc] == null) {
        throw new IllegalArgumentException(where + " is not a Quarry vector index: document " + doc + " has no id");
      }
    }
    return ids;
  }

  @Override
  public int size() {
    return ids.length;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public Similarity similarity() {
    return similarity;
  }

  /** The name of the Lucene vectors format the graph was written with (one per field; recorded in the segment). */
  public String luceneFormat() {
    FieldInfo info = leaves.get(0).reader().getFieldInfos().fieldInfo(VECTOR);
    return info.getAttribute(PerFieldKnnVectorsFormat.PER_FIELD_FORMAT_KEY);
  }

  /** The folder the index lives in, or null for an in-memory index. */
  public Path path() {
    return path;
  }

  @Override
  public List<ScoredDoc> search(float[] query, int k) {
    VectorChecks.checkK(k);
    float[] q = VectorChecks.query(query, dimension, similarity, "query");
    return search(q, k, efSearch, DotProduct.fastest(dimension));
  }

  @Override
  public List<List<ScoredDoc>> search(float[][] queries, int k, Progress progress) {
    return search(queries, k, efSearch, progress);
  }

  /**
   * Batched search with another efSearch than the index was opened with, for tuning the recall/speed trade-off
   * without reopening: each query collects {@code max(k, efSearch)} candidates.
   */
  public List<List<ScoredDoc>> search(float[][] queries, int k, int efSearch, Progress progress) {
    VectorChecks.checkK(k);
    if (efSearch <= 0) {
      throw new IllegalArgumentException("efSearch must be positive; efSearch=" + efSearch);
    }
    float[][] prepared = VectorChecks.queries(queries, dimension, similarity);
    int n = prepared.length;
    int chunk = Math.max(1, Math.min(64, (n + threads - 1) / threads));
    try (Progress.Task task = progress.start("hnsw search", n)) {
      return QueryBatches.run("quarry-hnsw-search", n, chunk, threads, task, (from, to) -> {
        DotProduct kernel = DotProduct.fastest(dimension);
        List<List<ScoredDoc>> hits = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
          hits.add(search(prepared[i], k, efSearch, kernel));
        }
        return hits;
      });
    }
  }

  /** Searches one prepared query: graph candidates (or every vector), rescored exactly, best k kept. */
  private List<ScoredDoc> search(float[] query, int k, int efSearch, DotProduct kernel) {
    int candidates = Math.max(k, efSearch);
    TopK top = new TopK(k, tieRanks);
    try {
      if (candidates >= ids.length) {
        for (LeafReaderContext leaf : leaves) {
          FloatVectorValues values = leaf.reader().getFloatVectorValues(VECTOR);
          for (int ord = 0; ord < values.size(); ord++) {
            top.offer(kernel.dot(query, values.vectorValue(ord), 0), leaf.docBase + values.ordToDoc(ord));
          }
        }
      } else {
        TopDocs hits = searcher.search(new KnnFloatVectorQuery(VECTOR, query, candidates), candidates);
        FloatVectorValues[] values = new FloatVectorValues[leaves.size()];
        for (ScoreDoc hit : hits.scoreDocs) {
          int l = ReaderUtil.subIndex(hit.doc, leaves);
          LeafReaderContext leaf = leaves.get(l);
          if (values[l] == null) {
            values[l] = leaf.reader().getFloatVectorValues(VECTOR);
          }
          // every document has a vector, so a leaf's vector ordinals are its document numbers
          float[] vector = values[l].vectorValue(hit.doc - leaf.docBase);
          top.offer(kernel.dot(query, vector, 0), hit.doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("HNSW search failed in " + (path == null ? "the in-memory index" : path), e);
    }
    return top.drain(doc -> ids[doc]);
  }

  @Override
  public void close() {
    try {
      reader.close();
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the HNSW index" + (path == null ? "" : " in " + path), e);
    }
  }

  private static void checkType(VectorIndexConfig config) {
    if (config.type() != IndexType.HNSW) {
      throw new IllegalArgumentException("an HNSW index needs a config of type HNSW, found " + config.type());
    }
  }

  private static void closeQuietly(AutoCloseable closeable, Exception primary) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception suppressed) {
      primary.addSuppressed(suppressed);
    }
  }
}
