package dev.quarry.index;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.Folders;
import dev.quarry.io.JsonLines;
import dev.quarry.io.Leftovers;
import dev.quarry.util.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Version;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

/**
 * Writes the Lucene index behind {@link HnswVectorIndex}: Lucene's default codec with the {@code vector} field's
 * format chosen per field, {@link Lucene99HnswVectorsFormat} for float vectors or
 * {@link Lucene104HnswScalarQuantizedVectorsFormat} with 8-bit ({@link ScalarEncoding#UNSIGNED_BYTE}) quantization.
 * The codec keeps the default codec's name, and each field's format name is recorded in the segment, so readers
 * need no custom codec. Documents are added from one thread, which keeps the graph (and so the results)
 * reproducible run to run.
 */
final class HnswWriter {
  private HnswWriter() {
  }

  static void write(Directory directory, List<String> ids, float[][] vectors, VectorIndexConfig config,
      Progress progress) throws IOException {
    int dimension = VectorChecks.checkCorpus(ids, vectors);
    KnnVectorsFormat format = format(config.hnsw());
    int maxDimensions = format.getMaxDimensions(HnswVectorIndex.VECTOR);
    if (dimension > maxDimensions) {
      throw new IllegalArgumentException(
          "Lucene's HNSW supports at most " + maxDimensions + " dimensions; the vectors have " + dimension);
    }
    IndexWriterConfig writerConfig = new IndexWriterConfig()
        .setCodec(codec(format))
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
        .setRAMBufferSizeMB(ramBufferMb())
        .setUseCompoundFile(false);
    FieldType vectorType = KnnFloatVectorField.createFieldType(dimension, luceneFunction(config.similarity()));
    try (IndexWriter writer = new IndexWriter(directory, writerConfig);
        Progress.Task task = progress.start("hnsw index", vectors.length)) {
      for (int i = 0; i < vectors.length; i++) {
        String id = ids.get(i);
        Document doc = new Document();
        doc.add(new StoredField(HnswVectorIndex.ID, id));
        doc.add(new StoredField(HnswVectorIndex.ORDINAL, i));
        // Lucene copies the vector when it is added, so the caller's array can go in as is for dot product
        float[] vector = config.similarity() == Similarity.COSINE
            ? VectorChecks.normalized(vectors[i], "vector " + i + " (id " + id + ")")
            : vectors[i];
        doc.add(new KnnFloatVectorField(HnswVectorIndex.VECTOR, vector, vectorType));
        writer.addDocument(doc);
        task.step();
      }
      writer.forceMerge(1);
      writer.commit();
    }
  }

  /**
   * Writes an index into {@code folder}, which must be absent or empty: first into a temporary folder beside it,
   * with {@value HnswVectorIndex#MANIFEST}, then renamed into place, so a failed build leaves nothing behind.
   */
  static void writeFolder(Path folder, List<String> ids, float[][] vectors, VectorIndexConfig config,
      Progress progress) {
    if (Files.exists(folder) && !isEmptyFolder(folder)) {
      throw new IllegalArgumentException("cannot build an HNSW index in " + folder + ": it exists and is not empty");
    }
    Path absolute = folder.toAbsolutePath();
    Path temp = Leftovers.claim(absolute, "building");
    try {
      Folders.deleteTree(temp);
      try (FSDirectory directory = FSDirectory.open(temp)) {
        write(directory, ids, vectors, config, progress);
      }
      AtomicOutput.writeString(temp.resolve(HnswVectorIndex.MANIFEST), manifest(ids.size(), vectors[0].length, config));
      Files.deleteIfExists(absolute);
      Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the HNSW index in " + folder, e);
    } finally {
      try {
        Folders.deleteTree(temp);
      } catch (IOException ignored) {
        // best effort: the next build into this folder deletes it first
      }
    }
  }

  private static String manifest(int size, int dimension, VectorIndexConfig config) {
    ObjectNode o = JsonLines.MAPPER.createObjectNode();
    o.put("type", IndexType.HNSW.name());
    o.put("similarity", config.similarity().name());
    o.put("size", size);
    o.put("dimension", dimension);
    o.put("m", config.hnsw().m());
    o.put("beam_width", config.hnsw().beamWidth());
    o.put("int8_quantized", config.hnsw().int8Quantized());
    o.put("lucene", Version.LATEST.toString());
    o.put("created", Instant.now().toString());
    return o.toPrettyString() + "\n";
  }

  private static boolean isEmptyFolder(Path folder) {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }


  static KnnVectorsFormat format(HnswConfig hnsw) {
    return hnsw.int8Quantized()
        ? new Lucene104HnswScalarQuantizedVectorsFormat(ScalarEncoding.UNSIGNED_BYTE, hnsw.m(), hnsw.beamWidth())
        : new Lucene99HnswVectorsFormat(hnsw.m(), hnsw.beamWidth());
  }

  /** Lucene's default codec with {@code format} for every vector field. */
  private static Codec codec(KnnVectorsFormat format) {
    Codec base = Codec.getDefault();
    KnnVectorsFormat perField = new PerFieldKnnVectorsFormat() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return format;
      }
    };
    return new FilterCodec(base.getName(), base) {
      @Override
      public KnnVectorsFormat knnVectorsFormat() {
        return perField;
      }
    };
  }

  /** Cosine is Lucene's dot product over unit vectors; a raw inner product is Lucene's maximum inner product. */
  static VectorSimilarityFunction luceneFunction(Similarity similarity) {
    return switch (similarity) {
      case COSINE -> VectorSimilarityFunction.DOT_PRODUCT;
      case DOT_PRODUCT -> VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
    };
  }

  /** The inverse of {@link #luceneFunction}, or null for a function Quarry does not use. */
  static Similarity similarityOf(VectorSimilarityFunction function) {
    return switch (function) {
      case DOT_PRODUCT -> Similarity.COSINE;
      case MAXIMUM_INNER_PRODUCT -> Similarity.DOT_PRODUCT;
      default -> null;
    };
  }

  /** Large enough that most corpora flush once (no graph merges), small enough for a default heap. */
  private static double ramBufferMb() {
    long heapMb = Runtime.getRuntime().maxMemory() / (1 << 20);
    return Math.max(16, Math.min(1024, heapMb / 4));
  }
}
