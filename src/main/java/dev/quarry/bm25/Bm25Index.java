package dev.quarry.bm25;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.data.Dataset;
import dev.quarry.data.Passage;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.BuildLock;
import dev.quarry.io.Checksums;
import dev.quarry.io.Folders;
import dev.quarry.io.JsonLines;
import dev.quarry.io.Leftovers;
import dev.quarry.util.Progress;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.Version;

/**
 * A Lucene index of a dataset's corpus for BM25. Fields: {@code id} (stored, with sorted doc values for tie-breaks),
 * and per {@link Bm25Config.FieldMode} either {@code contents} = title + newline + text, or {@code contents} = text and
 * {@code title} = title, all analyzed with {@link EnglishAnalyzer}. A {@code manifest.json} beside the index records
 * the corpus checksum, field mode, analyzer and Lucene version; {@link #openOrBuild} reuses an index only while all
 * of these match. Concurrent builders of one index, in this process or others, build it once: the first holds the
 * index's {@link BuildLock} while it builds, and the others wait and then open what it published.
 */
public final class Bm25Index implements Closeable {
  static final String ID = "id";
  static final String CONTENTS = "contents";
  static final String TITLE = "title";
  /** Stored, not indexed: the passage's title and text, in an index built with them (a search index's). */
  private static final String STORED_TITLE = "stored_title";
  private static final String STORED_TEXT = "stored_text";
  private static final String MANIFEST = "quarry-manifest.json";

  private static final FieldType TEXT = textFieldType();

  private final Path path;
  private final FSDirectory directory;
  private final DirectoryReader reader;
  private final Bm25Config.FieldMode fields;

  private Bm25Index(Path path, FSDirectory directory, DirectoryReader reader, Bm25Config.FieldMode fields) {
    this.path = path;
    this.directory = directory;
    this.reader = reader;
    this.fields = fields;
  }

  private static FieldType textFieldType() {
    FieldType type = new FieldType();
    type.setIndexOptions(IndexOptions.DOCS_AND_FREQS);
    type.setTokenized(true);
    type.setStored(false);
    type.freeze();
    return type;
  }

  /**
   * Opens the cached index of {@code dataset}'s corpus under {@code cacheRoot}, building it first when it is
   * missing or was built from another corpus, field mode, analyzer or Lucene version.
   */
  public static Bm25Index openOrBuild(Dataset dataset, Bm25Config.FieldMode fields, Path cacheRoot, Progress progress) {
    String checksum = dataset.corpusChecksum();
    ObjectNode wanted = identity(checksum, fields);
    Path dir = cacheRoot.resolve("bm25").resolve(Checksums.sha256(wanted.toString()).substring(0, 16));
    if (!matches(dir, wanted)) {
      try (BuildLock lock = BuildLock.acquire(dir)) {
        if (!matches(dir, wanted)) {   // else another process built it while this one waited
          build(dataset, fields, wanted, dir, progress);
        }
      }
    }
    return open(dir);
  }

  /**
   * Builds beside {@code dir} and renames into place; the caller holds the build lock, so the folder it replaces is
   * one that no process can have open (a build killed before its manifest, or an unreadable manifest).
   */
  private static void build(Dataset dataset, Bm25Config.FieldMode fields, ObjectNode wanted, Path dir,
      Progress progress) {
    Path temp = Leftovers.claim(dir, "building");
    try {
      Folders.deleteTree(temp);
      build(dataset, fields, temp, progress);
      ObjectNode manifest = wanted.deepCopy();
      manifest.put("dataset", dataset.root().toAbsolutePath().toString());
      ArrayNode files = manifest.putArray("corpus_files");
      dataset.corpusFiles().forEach(f -> files.add(f.toAbsolutePath().toString()));
      manifest.put("created", Instant.now().toString());
      try (Bm25Index built = open(temp)) {
        manifest.put("documents", built.numDocs());
      }
      AtomicOutput.writeString(temp.resolve(MANIFEST), manifest.toPrettyString() + "\n");
      Folders.deleteTree(dir);
      Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the BM25 index in " + dir, e);
    } finally {
      try {
        Folders.deleteTree(temp);
      } catch (IOException ignored) {
        // best effort; a later build deletes it first
      }
    }
  }

  private static ObjectNode identity(String corpusChecksum, Bm25Config.FieldMode fields) {
    ObjectNode o = JsonLines.MAPPER.createObjectNode();
    o.put("corpus_sha256", corpusChecksum);
    o.put("fields", fields.name());
    o.put("analyzer", EnglishAnalyzer.ID);
    o.put("lucene", Version.LATEST.toString());
    return o;
  }

  private static boolean matches(Path dir, ObjectNode wanted) {
    Path manifest = dir.resolve(MANIFEST);
    if (!Files.exists(manifest)) {
      return false;
    }
    try {
      JsonNode found = JsonLines.MAPPER.readTree(manifest.toFile());
      for (var it = wanted.fieldNames(); it.hasNext(); ) {
        String field = it.next();
        if (!wanted.get(field).equals(found.get(field))) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;   // unreadable manifest: rebuild
    }
  }

  /** Builds an index of {@code dataset}'s corpus in the empty or absent folder {@code dir}. */
  public static void build(Dataset dataset, Bm25Config.FieldMode fields, Path dir, Progress progress) {
    build(dataset, fields, false, dir, progress);
  }

  /**
   * Builds an index as {@link #build(Dataset, Bm25Config.FieldMode, Path, Progress)} does, storing each passage's
   * title and text too when {@code storeText} (for {@link #passages}); scores are the same either way.
   */
  public static void build(Dataset dataset, Bm25Config.FieldMode fields, boolean storeText, Path dir,
      Progress progress) {
    IndexWriterConfig config = new IndexWriterConfig(new EnglishAnalyzer())
        .setSimilarity(new BM25Similarity())
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
        .setRAMBufferSizeMB(256)
        .setUseCompoundFile(false);
    try (FSDirectory directory = FSDirectory.open(dir);
        IndexWriter writer = new IndexWriter(directory, config);
        Progress.Task task = progress.start("index", -1)) {
      dataset.forEachPassage(p -> {
        Document doc = new Document();
        doc.add(new StringField(ID, p.id(), Field.Store.YES));
        doc.add(new SortedDocValuesField(ID, new BytesRef(p.id())));
        if (fields == Bm25Config.FieldMode.FLAT) {
          doc.add(new Field(CONTENTS, p.title() + "\n" + p.text(), TEXT));
        } else {
          doc.add(new Field(CONTENTS, p.text(), TEXT));
          doc.add(new Field(TITLE, p.title(), TEXT));
        }
        if (storeText) {
          doc.add(new StoredField(STORED_TITLE, p.title()));
          doc.add(new StoredField(STORED_TEXT, p.text()));
        }
        try {
          writer.addDocument(doc);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot add document " + p.id() + " to the index in " + dir, e);
        }
        task.step();
      });
      writer.commit();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the BM25 index in " + dir, e);
    }
  }

  /** Opens an index built by {@link #build}. */
  public static Bm25Index open(Path dir) {
    try {
      FSDirectory directory = FSDirectory.open(dir);
      DirectoryReader reader = DirectoryReader.open(directory);
      boolean multifield = reader.leaves().stream().anyMatch(l -> l.reader().getFieldInfos().fieldInfo(TITLE) != null);
      return new Bm25Index(dir, directory, reader,
          multifield ? Bm25Config.FieldMode.MULTIFIELD : Bm25Config.FieldMode.FLAT);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the BM25 index in " + dir, e);
    }
  }

  /** A searcher with the given BM25 parameters; its field mode must match the index's. */
  public Bm25Searcher searcher(Bm25Config config) {
    if (config.fields() != fields) {
      throw new IllegalArgumentException("the index in " + path + " is " + fields + " but " + config.fields()
          + " search was asked for");
    }
    return new Bm25Searcher(reader, config);
  }

  /**
   * The passages with these ids, from an index built with their text ({@code storeText}); an id the index lacks is
   * left out of the map.
   *
   * @throws IllegalStateException when the index was built without the text
   */
  public Map<String, Passage> passages(Collection<String> ids) {
    Map<String, Passage> found = new HashMap<>();
    try {
      IndexSearcher searcher = new IndexSearcher(reader);
      StoredFields stored = searcher.storedFields();
      for (String id : ids) {
        TopDocs top = searcher.search(new TermQuery(new Term(ID, id)), 1);
        if (top.scoreDocs.length == 0) {
          continue;
        }
        Document doc = stored.document(top.scoreDocs[0].doc);
        String text = doc.get(STORED_TEXT);
        if (text == null) {
          throw new IllegalStateException("the BM25 index in " + path + " was built without passage text");
        }
        found.put(id, new Passage(id, doc.get(STORED_TITLE), text));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read passages from the index in " + path, e);
    }
    return found;
  }

  public int numDocs() {
    return reader.numDocs();
  }

  /** Total number of tokens indexed in {@code contents} (Anserini's "total terms" of a flat index). */
  public long totalTerms() {
    try {
      return reader.getSumTotalTermFreq(CONTENTS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() throws IOException {
    reader.close();
    directory.close();
  }

}
