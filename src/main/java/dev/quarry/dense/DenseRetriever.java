package dev.quarry.dense;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.data.Dataset;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import dev.quarry.index.Similarity;
import dev.quarry.index.VectorIndex;
import dev.quarry.index.VectorIndexConfig;
import dev.quarry.index.VectorIndexes;
import dev.quarry.io.Checksums;
import dev.quarry.io.JsonLines;
import dev.quarry.model.InferenceEngine;
import dev.quarry.model.ModelDirectory;
import dev.quarry.model.TextEncoder;
import dev.quarry.model.Torch;
import dev.quarry.util.Progress;
import dev.quarry.vectors.VectorReader;
import dev.quarry.vectors.VectorWriterConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Dense retrieval of a split: the corpus is encoded once into a vectors artifact cached under
 * {@code <cache>/vectors/<key>} (key: model fingerprint, corpus checksum and, but for libtorch, the inference engine;
 * resumable), the queries are encoded,
 * and an exact or HNSW index over the corpus vectors ranks passages by inner product (cosine when the recipe
 * normalizes).
 */
public final class DenseRetriever {
  private DenseRetriever() {
  }

  /** What a run did, for the caller to report. */
  public record Outcome(Run run, Path modelDir, Path corpusVectors, VectorEncoding.Result corpusEncoding,
      double realTokenFraction) {
  }

  /**
   * A trained model's run of a test split: its top 1000 per query by exact search ({@link DenseConfig#exact}), the
   * corpus vectors cached like {@code quarry dense}'s. Score it with {@code SplitEvaluation}.
   */
  public static Run test(Dataset dataset, String split, Path model, Path cacheRoot, Progress progress) {
    return retrieve(dataset, split, DenseConfig.exact(model, 1000, cacheRoot), "quarry-test", progress).run();
  }

  public static Outcome retrieve(Dataset dataset, String split, DenseConfig config, String tag, Progress progress) {
    return retrieve(dataset, dataset.queries(split), config, tag, progress);
  }

  /** Retrieves for any queries (for example pseudo-queries) over the dataset's corpus. */
  public static Outcome retrieve(Dataset dataset, List<Query> queries, DenseConfig config, String tag,
      Progress progress) {
    Path modelDir = ModelDirectory.resolve(config.model(), config.cacheRoot());
    try (TextEncoder encoder = TextEncoder.load(modelDir, config.engine())) {
      VectorEncoding.Result corpus = encodeCorpus(dataset, encoder, modelDir, config, progress);
      float[][] queryVectors = encoder.encodeQueries(queries.stream().map(Query::text).toList(), config.batchSize(),
          progress);
      VectorIndexConfig indexConfig = new VectorIndexConfig(config.index(), Similarity.DOT_PRODUCT, config.hnsw(),
          Torch.threads());
      List<List<ScoredDoc>> hits;
      try (VectorReader vectors = VectorReader.open(corpus.dir());
          VectorIndex index = VectorIndexes.open(vectors, indexConfig, progress)) {
        hits = index.search(queryVectors, config.k(), progress);
      }
      Run.Builder run = Run.builder(tag);
      for (int q = 0; q < queries.size(); q++) {
        run.put(queries.get(q).id(), hits.get(q));
      }
      return new Outcome(run.build(), modelDir, corpus.dir(), corpus, encoder.realTokenFraction());
    }
  }

  /** Encodes (or resumes, or reuses) the corpus vectors of {@code dataset} under the cache. */
  public static VectorEncoding.Result encodeCorpus(Dataset dataset, TextEncoder encoder, Path modelDir,
      DenseConfig config, Progress progress) {
    return encodeCorpus(dataset, encoder, modelDir, ModelFingerprint.of(modelDir), config, progress);
  }

  /** As {@link #encodeCorpus(Dataset, TextEncoder, Path, DenseConfig, Progress)}, the model's fingerprint known. */
  public static VectorEncoding.Result encodeCorpus(Dataset dataset, TextEncoder encoder, Path modelDir, String model,
      DenseConfig config, Progress progress) {
    String corpus = dataset.corpusChecksum();
    Path dir = cachedVectors(config.cacheRoot(), model, corpus, encoder.engine());
    return VectorEncoding.encode(encoder, TextEncoder.Side.PASSAGE, corpusIds(dataset), corpusTexts(dataset), dir,
        config.batchSize(), VectorWriterConfig.DEFAULT_SHARD_SIZE, producer(modelDir, model, encoder, corpus,
            "passages"), progress);
  }

  /** The corpus's passage ids, in corpus order (one pass over the corpus, texts not kept). */
  public static List<String> corpusIds(Dataset dataset) {
    List<String> ids = new ArrayList<>();
    dataset.forEachPassage(p -> ids.add(p.id()));
    return ids;
  }

  /** The corpus's passages as the encoder reads them (title + " " + text), streamed from disk in corpus order. */
  public static VectorEncoding.Texts corpusTexts(Dataset dataset) {
    return sink -> dataset.forEachPassage(p -> sink.accept(p.titleAndText()));
  }

  /**
   * Where the cache keeps the corpus vectors of a model (by fingerprint) on an engine for a corpus (by checksum):
   * {@code <cache>/vectors/<key>}. libtorch's vectors keep the key they had before there were other engines.
   */
  public static Path cachedVectors(Path cacheRoot, String modelSha, String corpusSha, InferenceEngine engine) {
    String suffix = engine == InferenceEngine.LIBTORCH ? "" : "\n" + engine.id();
    return cacheRoot.resolve("vectors").resolve(Checksums.sha256(modelSha + "\n" + corpusSha + suffix)
        .substring(0, 16));
  }

  /** The manifest's record of what made an artifact; deterministic (no timestamps) so resumes match. */
  public static ObjectNode producer(Path modelDir, String modelSha, TextEncoder encoder, String inputSha,
      String side) {
    ObjectNode o = JsonLines.MAPPER.createObjectNode();
    o.put("tool", "quarry");
    o.put("model", modelDir.getFileName().toString());
    o.put("model_sha256", modelSha);
    o.set("recipe", encoder.recipe().toJson());
    if (encoder.engine() != InferenceEngine.LIBTORCH) {   // absent: libtorch, as before there were other engines
      o.put("engine", encoder.engine().id());
    }
    o.put("side", side);
    o.put("input_sha256", inputSha);
    o.put("text", side.equals("passages") ? "title + \" \" + text, stripped (BEIR)" : "query text");
    return o;
  }
}
