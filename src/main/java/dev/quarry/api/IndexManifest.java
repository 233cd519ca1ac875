package dev.quarry.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.index.HnswConfig;
import dev.quarry.index.IndexType;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.DataFormatException;
import dev.quarry.io.JsonLines;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.InferenceEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code manifest.json} of a search index: what it was built from and with. Written last, so a folder without it is
 * an index whose build has not finished.
 *
 * @param documents passages indexed
 * @param corpusSha256 the corpus checksum ({@code Dataset#corpusChecksum})
 * @param dataset the dataset folder it was built from (a record; the index does not read it)
 * @param spec the dense encoder and vector search settings
 * @param modelDir the model directory the model name resolved to
 * @param modelSha256 the model's fingerprint, checked when the index opens
 * @param recipe how the model encodes (pooling, normalization, prefixes, lengths), as the vectors were made
 * @param dimension the vectors' dimension
 * @param lucene the Lucene version that wrote the BM25 index (and the graph)
 * @param quarry the Quarry version that built the index
 * @param created when the build finished (ISO-8601)
 */
public record IndexManifest(int documents, String corpusSha256, String dataset, IndexSpec spec, Path modelDir,
    String modelSha256, EncoderRecipe recipe, int dimension, String lucene, String quarry, String created) {
  /** The file's name in an index folder. */
  public static final String FILE = "manifest.json";
  /** The format it declares. */
  public static final String FORMAT = "quarry-index/1";

  /** The manifest as JSON. */
  public ObjectNode toJson() {
    ObjectNode o = JsonLines.MAPPER.createObjectNode();
    o.put("format", FORMAT);
    o.put("documents", documents);
    o.put("corpus_sha256", corpusSha256);
    o.put("dataset", dataset);
    o.put("model", spec.model());
    o.put("model_dir", modelDir.toString());
    o.put("model_sha256", modelSha256);
    o.set("recipe", recipe.toJson());
    o.put("engine", spec.engine().id());
    o.put("dimension", dimension);
    o.put("batch_size", spec.batchSize());
    o.put("vectors", spec.vectors().name().toLowerCase(Locale.ROOT));
    ObjectNode h = o.putObject("hnsw");
    h.put("m", spec.hnsw().m()).put("beam_width", spec.hnsw().beamWidth()).put("ef_search", spec.hnsw().efSearch())
        .put("int8", spec.hnsw().int8Quantized());
    o.putObject("bm25").put("fields", "flat").put("k1", 0.9).put("b", 0.4);
    o.put("lucene", lucene);
    o.put("quarry", quarry);
    o.put("created", created);
    return o;
  }

  /** Writes {@code dir/manifest.json} atomically. */
  public void write(Path dir) {
    AtomicOutput.writeString(dir.resolve(FILE), toJson().toPrettyString() + "\n");
  }

  /**
   * Reads {@code dir/manifest.json}; a folder without one is an error that says the build has not finished, and a
   * malformed one names the file and the field.
   */
  public static IndexManifest read(Path dir) {
    Path file = dir.resolve(FILE);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("no search index at " + dir + ": not a folder (build one with quarry index)");
    }
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(dir + " is not a finished search index: it has no " + FILE
          + " (run the same quarry index command again to finish the build)");
    }
    JsonNode o;
    try {
      o = JsonLines.MAPPER.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new DataFormatException(file, 0, "not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    Fields f = new Fields(file, o);
    if (!FORMAT.equals(f.text("format"))) {
      throw new DataFormatException(file, 0, "format must be " + FORMAT + ", found \"" + f.text("format") + "\"",
          null);
    }
    JsonNode h = f.object("hnsw");
    Fields hf = new Fields(file, h);
    try {
      IndexSpec spec = new IndexSpec(f.text("model"), InferenceEngine.parse(f.text("engine")),
          IndexType.valueOf(f.text("vectors").toUpperCase(Locale.ROOT)),
          new HnswConfig(hf.integer("m"), hf.integer("beam_width"), hf.integer("ef_search"), hf.bool("int8")),
          f.integer("batch_size"));
      return new IndexManifest(f.integer("documents"), f.text("corpus_sha256"), f.text("dataset"), spec,
          Path.of(f.text("model_dir")), f.text("model_sha256"),
          EncoderRecipe.fromJson(f.object("recipe"), file + ": recipe"), f.integer("dimension"), f.text("lucene"),
          f.text("quarry"), f.text("created"));
    } catch (IllegalArgumentException e) {   // a value the records reject (an unknown engine, a bad HNSW setting)
      throw new DataFormatException(file, 0, e.getMessage(), e);
    }
  }

  /** Typed access to a manifest's fields, naming the file and the field when one is missing or mistyped. */
  private record Fields(Path file, JsonNode node) {
    String text(String field) {
      JsonNode v = node.get(field);
      if (v == null || !v.isTextual()) {
        throw problem(field, "a string");
      }
      return v.asText();
    }

    int integer(String field) {
      JsonNode v = node.get(field);
      if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
        throw problem(field, "an integer");
      }
      return v.intValue();
    }

    boolean bool(String field) {
      JsonNode v = node.get(field);
      if (v == null || !v.isBoolean()) {
        throw problem(field, "true or false");
      }
      return v.booleanValue();
    }

    JsonNode object(String field) {
      JsonNode v = node.get(field);
      if (v == null || !v.isObject()) {
        throw problem(field, "an object");
      }
      return v;
    }

    private DataFormatException problem(String field, String expected) {
      return new DataFormatException(file, 0, "field \"" + field + "\" must be " + expected
          + (node.has(field) ? ", found " + node.get(field) : " and is missing"), null);
    }
  }
}
