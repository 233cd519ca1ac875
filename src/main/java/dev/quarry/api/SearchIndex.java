package dev.quarry.api;

import dev.quarry.bm25.Bm25Config;
import dev.quarry.bm25.Bm25Index;
import dev.quarry.bm25.Bm25Searcher;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import dev.quarry.data.TrecOrder;
import dev.quarry.dense.ModelFingerprint;
import dev.quarry.index.FlatVectorIndex;
import dev.quarry.index.HnswConfig;
import dev.quarry.index.HnswVectorIndex;
import dev.quarry.index.IndexType;
import dev.quarry.index.Similarity;
import dev.quarry.index.VectorIndex;
import dev.quarry.index.VectorIndexConfig;
import dev.quarry.model.Torch;
import dev.quarry.rerank.Candidates;
import dev.quarry.rerank.Reranker;
import dev.quarry.search.ReciprocalRankFusion;
import dev.quarry.search.RrfConfig;
import dev.quarry.util.Progress;
import dev.quarry.vectors.VectorReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A search index folder ({@link SearchIndexBuilder}) opened for searching: BM25, dense or hybrid, and reranking, over
 * the passages it stores. Searching is thread-safe (forward passes of the encoder run one at a time); close it to free
 * the model and the index files.
 */
public final class SearchIndex implements AutoCloseable {
  /** How deep each side of a hybrid search reads, as {@code quarry fuse --top} by default. */
  public static final int HYBRID_DEPTH = 1000;

  private final Path dir;
  private final IndexManifest manifest;
  private final Bm25Index bm25;
  private final Bm25Searcher bm25Searcher;
  private final Encoder encoder;
  private final VectorIndex vectors;

  private SearchIndex(Path dir, IndexManifest manifest, Bm25Index bm25, Encoder encoder, VectorIndex vectors) {
    this.dir = dir;
    this.manifest = manifest;
    this.bm25 = bm25;
    this.bm25Searcher = bm25.searcher(Bm25Config.ANSERINI_FLAT);
    this.encoder = encoder;
    this.vectors = vectors;
  }

  /** Opens the index in {@code dir} with the graph's default candidates per query (HNSW). */
  public static SearchIndex open(Path dir) {
    return open(dir, -1);
  }

  /**
   * Opens the index in {@code dir}: its manifest, BM25, the model it was built with (which must be unchanged) and its
   * vectors; {@code efSearch} overrides the HNSW graph's candidates per query when positive. Nothing is written.
   */
  public static SearchIndex open(Path dir, int efSearch) {
    IndexManifest manifest = IndexManifest.read(dir);
    Path modelDir = manifest.modelDir();
    if (!Files.isDirectory(modelDir)) {
      throw new IllegalArgumentException("the index in " + dir + " was built with the model in " + modelDir
          + ", which is gone; rebuild the index (or put the model back)");
    }
    if (!ModelFingerprint.of(modelDir).equals(manifest.modelSha256())) {
      throw new IllegalArgumentException("the model in " + modelDir + " has changed since the index in " + dir
          + " was built (model_sha256 " + manifest.modelSha256() + "); rebuild the index");
    }
    Bm25Index bm25 = null;
    Encoder encoder = null;
    try {
      bm25 = Bm25Index.open(dir.resolve(SearchIndexBuilder.BM25));
      encoder = Encoder.load(modelDir, manifest.spec().engine(), manifest.spec().batchSize());
      VectorIndex vectors = vectors(dir, manifest, efSearch);
      return new SearchIndex(dir, manifest, bm25, encoder, vectors);
    } catch (RuntimeException e) {
      closeQuietly(bm25, encoder, e);
      throw e;
    }
  }

  private static VectorIndex vectors(Path dir, IndexManifest manifest, int efSearch) {
    HnswConfig h = manifest.spec().hnsw();
    HnswConfig hnsw = efSearch > 0 ? new HnswConfig(h.m(), h.beamWidth(), efSearch, h.int8Quantized()) : h;
    VectorIndexConfig config = new VectorIndexConfig(manifest.spec().vectors(), Similarity.DOT_PRODUCT, hnsw,
        Torch.threads());
    if (manifest.spec().vectors() == IndexType.HNSW) {
      return HnswVectorIndex.open(dir.resolve(SearchIndexBuilder.HNSW), config);
    }
    try (VectorReader reader = VectorReader.open(dir.resolve(SearchIndexBuilder.VECTORS))) {
      return FlatVectorIndex.mapped(reader, Similarity.DOT_PRODUCT, Torch.threads());
    }
  }

  private static void closeQuietly(Bm25Index bm25, Encoder encoder, RuntimeException failure) {
    try {
      if (bm25 != null) {
        bm25.close();
      }
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
    if (encoder != null) {
      encoder.close();
    }
  }

  /** The index's dense encoder (shared: closing the index closes it). */
  public Encoder encoder() {
    return encoder;
  }

  public IndexManifest manifest() {
    return manifest;
  }

  public Path dir() {
    return dir;
  }

  /** The top {@code k} passages for one query, with their titles and texts. */
  public List<Hit> search(String query, SearchMode mode, int k) {
    Run run = search(List.of(new Query("q", query)), mode, k, "quarry-search", Progress.NONE);
    return hits(run.docs("q"));
  }

  /** Searches every query; the run holds each query's top {@code k} in trec_eval's order. */
  public Run search(List<Query> queries, SearchMode mode, int k, String tag, Progress progress) {
    if (k <= 0) {
      throw new IllegalArgumentException("k must be positive; k=" + k);
    }
    return switch (mode) {
      case BM25 -> bm25Searcher.searchAll(queries, k, tag, Torch.threads(), false, progress);
      case DENSE -> dense(queries, k, tag, progress);
      case HYBRID -> new ReciprocalRankFusion(new RrfConfig(RrfConfig.DEFAULTS.rankConstant(), HYBRID_DEPTH, k))
          .fuse(List.of(bm25Searcher.searchAll(queries, HYBRID_DEPTH, "bm25", Torch.threads(), false, progress),
              dense(queries, HYBRID_DEPTH, "dense", progress)), tag);
    };
  }

  private Run dense(List<Query> queries, int k, String tag, Progress progress) {
    float[][] queryVectors = encoder.encodeQueries(queries.stream().map(Query::text).toList(), progress);
    List<List<ScoredDoc>> hits = vectors.search(queryVectors, k, progress);
    Run.Builder run = Run.builder(tag);
    for (int q = 0; q < queries.size(); q++) {
      run.put(queries.get(q).id(), hits.get(q));
    }
    return run.build();
  }

  /**
   * Reranks each query's top {@code top} of {@code run} with {@code reranker}, over the passages this index stores;
   * the rest of each ranking follows below ({@link Reranker}).
   */
  public Run rerank(PassageReranker reranker, List<Query> queries, Run run, int top, String tag, Progress progress) {
    Candidates candidates = Candidates.of(queries, "the queries given", this::passages, "the index in " + dir, run,
        top);
    synchronized (reranker) {
      return new Reranker(reranker.model(), PassageReranker.BATCH_SIZE).rerank(candidates, tag, progress);
    }
  }

  /** The stored passages with these ids; an id the index lacks is left out. */
  public Map<String, Passage> passages(Collection<String> ids) {
    return bm25.passages(ids);
  }

  /** A ranking as hits: rank, id, score, and the passage's title and text, best first. */
  public List<Hit> hits(List<ScoredDoc> ranking) {
    List<ScoredDoc> sorted = TrecOrder.sorted(ranking);
    Map<String, Passage> passages = passages(sorted.stream().map(ScoredDoc::docId).toList());
    List<Hit> hits = new ArrayList<>(sorted.size());
    for (ScoredDoc d : sorted) {
      Passage p = passages.get(d.docId());
      hits.add(new Hit(hits.size() + 1, d.docId(), d.score(), p == null ? "" : p.title(), p == null ? "" : p.text()));
    }
    return hits;
  }

  @Override
  public void close() {
    UncheckedIOException failure = null;
    vectors.close();
    try {
      bm25.close();
    } catch (IOException e) {
      failure = new UncheckedIOException("cannot close the BM25 index of " + dir, e);
    }
    encoder.close();
    if (failure != null) {
      throw failure;
    }
  }
}
