package dev.quarry.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.bm25.Bm25Config;
import dev.quarry.bm25.Bm25Index;
import dev.quarry.data.Dataset;
import dev.quarry.dense.DenseRetriever;
import dev.quarry.dense.ModelFingerprint;
import dev.quarry.dense.VectorEncoding;
import dev.quarry.index.HnswVectorIndex;
import dev.quarry.index.IndexType;
import dev.quarry.index.Similarity;
import dev.quarry.index.VectorIndexConfig;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.Folders;
import dev.quarry.io.JsonLines;
import dev.quarry.io.Leftovers;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.ModelDirectory;
import dev.quarry.model.TextEncoder;
import dev.quarry.model.Torch;
import dev.quarry.util.Progress;
import dev.quarry.util.QuarryVersion;
import dev.quarry.vectors.VectorReader;
import dev.quarry.vectors.VectorWriterConfig;
import dev.quarry.vectors.VectorsFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.stream.Stream;
import org.apache.lucene.util.Version;

/**
 * Builds a search index folder for one corpus:
 * <pre>
 * INDEX/
 *   bm25/           Lucene index: BM25 (flat fields, as quarry bm25) with each passage's title and text stored
 *   vectors/        the corpus vectors (Quarry's vectors artifact, the same bytes quarry dense caches)
 *   hnsw/           a Lucene HNSW graph of the vectors, when the spec asks for one
 *   manifest.json   written last: what the index was built from ({@link IndexManifest})
 * </pre>
 * Resumable and atomic: {@code build.json} records the corpus and spec when the build starts, so running the same
 * build again resumes it (the BM25 and graph folders are built beside their place and renamed in, the vectors resume
 * where their last shard ended), and another corpus or spec is refused rather than mixed in. Until
 * {@code manifest.json} exists, no search opens the folder.
 */
public final class SearchIndexBuilder {
  static final String BM25 = "bm25";
  static final String VECTORS = "vectors";
  static final String HNSW = "hnsw";
  private static final String BUILD = "build.json";

  private SearchIndexBuilder() {
  }

  /** Builds (or finishes building) the index of {@code dataset}'s corpus in {@code out}. */
  public static IndexManifest build(Dataset dataset, IndexSpec spec, Path out, Path cacheRoot, Progress progress) {
    if (!dataset.hasPassages()) {
      throw new IllegalArgumentException("dataset " + dataset.root() + ": the corpus " + dataset.corpusFiles()
          + " holds no passage; there is nothing to index");
    }
    Path modelDir = ModelDirectory.resolve(spec.model(), cacheRoot).toAbsolutePath();
    String corpus = dataset.corpusChecksum();
    claim(out, started(corpus, spec));
    try {
      if (!Files.isDirectory(out.resolve(BM25))) {
        Path scratch = Leftovers.claim(out.resolve(BM25), "building");
        Folders.deleteTree(scratch);
        Bm25Index.build(dataset, Bm25Config.FieldMode.FLAT, true, scratch, progress);
        Files.move(scratch, out.resolve(BM25), StandardCopyOption.ATOMIC_MOVE);
      }
      String modelSha = ModelFingerprint.of(modelDir);
      reuseCachedVectors(DenseRetriever.cachedVectors(cacheRoot, modelSha, corpus, spec.engine()), out.resolve(VECTORS));
      int dimension;
      EncoderRecipe recipe;
      try (TextEncoder encoder = TextEncoder.load(modelDir, spec.engine())) {
        VectorEncoding.encode(encoder, TextEncoder.Side.PASSAGE, DenseRetriever.corpusIds(dataset),
            DenseRetriever.corpusTexts(dataset), out.resolve(VECTORS), spec.batchSize(),
            VectorWriterConfig.DEFAULT_SHARD_SIZE,
            DenseRetriever.producer(modelDir, modelSha, encoder, corpus, "passages"), progress);
        dimension = encoder.dimension();
        recipe = encoder.recipe();
      }
      int documents;
      try (VectorReader vectors = VectorReader.open(out.resolve(VECTORS))) {
        documents = vectors.count();
        if (spec.vectors() == IndexType.HNSW && !Files.isDirectory(out.resolve(HNSW))) {
          HnswVectorIndex.build(vectors.ids(), vectors.all(), new VectorIndexConfig(IndexType.HNSW,
              Similarity.DOT_PRODUCT, spec.hnsw(), Torch.threads()), out.resolve(HNSW), progress).close();
        }
      }
      IndexManifest manifest = new IndexManifest(documents, corpus, dataset.root().toAbsolutePath().toString(), spec,
          modelDir, modelSha, recipe, dimension, Version.LATEST.toString(), QuarryVersion.get(), Instant.now().toString());
      manifest.write(out);
      Files.deleteIfExists(out.resolve(BUILD));
      return manifest;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the search index in " + out, e);
    }
  }

  /**
   * Copies the corpus vectors {@code quarry dense} finished for the same model, engine and corpus into the index, so
   * they are not encoded again; the encoding step then checks them (and their producer record) like its own. Nothing
   * happens when the index has vectors already or the cache has no finished artifact.
   */
  private static void reuseCachedVectors(Path cached, Path target) throws IOException {
    if (Files.exists(target) || !Files.exists(cached.resolve(VectorsFormat.MANIFEST))) {
      return;
    }
    Path scratch = Leftovers.claim(target, "copying");
    Folders.deleteTree(scratch);
    Files.createDirectories(scratch);
    try (Stream<Path> files = Files.list(cached)) {
      for (Path f : files.filter(f -> VectorsFormat.isArtifactFile(f.getFileName().toString())).toList()) {
        Files.copy(f, scratch.resolve(f.getFileName()));
      }
    }
    Files.move(scratch, target, StandardCopyOption.ATOMIC_MOVE);
  }

  private static ObjectNode started(String corpus, IndexSpec spec) {
    ObjectNode o = JsonLines.MAPPER.createObjectNode();
    o.put("corpus_sha256", corpus);
    o.put("model", spec.model());
    o.put("engine", spec.engine().id());
    o.put("vectors", spec.vectors().name());
    o.put("hnsw", spec.hnsw().toString());
    o.put("batch_size", spec.batchSize());
    return o;
  }

  /**
   * Makes {@code out} this build's folder: a new or empty folder, or one where the same build was started. A finished
   * index, another build's folder, or a folder holding anything else is refused, so nothing is overwritten.
   */
  private static void claim(Path out, ObjectNode build) {
    try {
      if (Files.exists(out.resolve(IndexManifest.FILE))) {
        throw new IllegalArgumentException(out + " is a finished search index already; give a new --output folder "
            + "(or delete it to rebuild)");
      }
      Path record = out.resolve(BUILD);
      if (Files.exists(record)) {
        JsonNode found = JsonLines.MAPPER.readTree(record.toFile());
        if (!found.equals(build)) {
          throw new IllegalArgumentException(out + " holds an unfinished build of another corpus or spec ("
              + record + ": " + found + "); delete it or give another --output folder");
        }
        return;
      }
      if (Files.isDirectory(out)) {
        try (Stream<Path> entries = Files.list(out)) {
          if (entries.findAny().isPresent()) {
            throw new IllegalArgumentException(out + " is not empty and not a search index being built; give a new "
                + "or empty --output folder");
          }
        }
      }
      Files.createDirectories(out);
      AtomicOutput.writeString(record, build.toPrettyString() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + out + " for a search index", e);
    }
  }
}
