package dev.quarry.ance;

import dev.quarry.data.PassageStore;
import dev.quarry.data.Query;
import dev.quarry.data.ScoredDoc;
import dev.quarry.dense.CorpusVectors;
import dev.quarry.index.HnswConfig;
import dev.quarry.index.IndexType;
import dev.quarry.index.Similarity;
import dev.quarry.index.VectorIndex;
import dev.quarry.index.VectorIndexConfig;
import dev.quarry.index.VectorIndexes;
import dev.quarry.model.NamedTensor;
import dev.quarry.model.TextEncoder;
import dev.quarry.util.Progress;
import dev.quarry.vectors.VectorReader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds a {@link NegativeTable} the way ANCE's inferencer does: load the given weights into an inference copy of the
 * encoder, embed the whole corpus and the training queries, build a vector index and retrieve each query's top
 * {@code depth}. Texts are tokenized once, at construction; every refresh only re-embeds them.
 */
public final class TableBuilder implements IndexRefresher.Builder {
  private final TextEncoder encoder;
  private final Consumer<Map<String, NamedTensor>> loadWeights;
  private final PassageStore corpus;
  private final List<String> passageIds;
  private final Path scratch;
  private final List<String> queryIds;
  private final long[][] queryTokens;
  private final AnceConfig config;

  /**
   * @param encoder the inference copy: used by the refresher's thread only
   * @param loadWeights overwrites {@code encoder}'s weights with a trainer snapshot
   */
  public TableBuilder(TextEncoder encoder, Consumer<Map<String, NamedTensor>> loadWeights, PassageStore corpus,
      List<Query> queries, AnceConfig config, Path scratch) {
    this.encoder = encoder;
    this.loadWeights = loadWeights;
    this.corpus = corpus;
    this.passageIds = CorpusVectors.ids(corpus);
    this.scratch = scratch;
    this.queryIds = queries.stream().map(Query::id).toList();
    this.queryTokens = encoder.tokenize(TextEncoder.Side.QUERY, queries.stream().map(Query::text).toList());
    this.config = config;
  }

  @Override
  public IndexRefresher.Built build(long step, Map<String, NamedTensor> weights,
      IndexRefresher.Cancellation cancelled) {
    long t0 = System.nanoTime();
    loadWeights.accept(weights);
    Progress.Task check = new Progress.Task() {
      @Override
      public void step(long n) {
        cancelled.check();
      }

      @Override
      public void close() {
      }
    };
    Progress cancellable = (name, total) -> check;
    try {
      CorpusVectors.encode(encoder, corpus, passageIds, scratch, config.encodeBatchSize(), cancellable);
      float[][] queries = encoder.encode(TextEncoder.Side.QUERY, queryTokens, config.encodeBatchSize(), check);
      long t1 = System.nanoTime();
      VectorIndexConfig indexConfig = config.index() == IndexType.FLAT
          ? VectorIndexConfig.flat(Similarity.DOT_PRODUCT)
          : VectorIndexConfig.hnsw(Similarity.DOT_PRODUCT, HnswConfig.DEFAULTS.withEfSearch(
              Math.max(HnswConfig.DEFAULTS.efSearch(), config.depth())));
      try (VectorReader vectors = VectorReader.open(scratch, VectorReader.Verification.STRUCTURE);
          VectorIndex index = VectorIndexes.open(vectors, indexConfig, Progress.NONE)) {
        long t2 = System.nanoTime();
        List<List<ScoredDoc>> hits = index.search(queries, config.depth(), Progress.NONE);
        Map<String, List<String>> table = new LinkedHashMap<>();
        for (int i = 0; i < queryIds.size(); i++) {
          table.put(queryIds.get(i), hits.get(i).stream().map(ScoredDoc::docId).toList());
        }
        long t3 = System.nanoTime();
        return new IndexRefresher.Built(new NegativeTable(step, table), (t1 - t0) / 1e9, (t2 - t1) / 1e9,
            (t3 - t2) / 1e9);
      }
    } finally {
      CorpusVectors.delete(scratch);
    }
  }
}
