package dev.quarry.vectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.DataFormatException;
import dev.quarry.io.JsonLines;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The content of {@code manifest.json} (see {@link VectorsFormat}). Without shards, the same fields are the
 * writer's {@code progress.json}: the identity of what is being written.
 */
record VectorsManifest(int dimension, int count, boolean normalized, int shardSize, String idsSha256,
    ObjectNode producer, List<ShardEntry> shards) {

  VectorsManifest {
    shards = List.copyOf(shards);
  }

  /** The fields every run of one job must agree on: the manifest without {@code shards}. */
  ObjectNode identity() {
    ObjectNode o = JsonLines.MAPPER.createObjectNode();
    o.put("format", VectorsFormat.FORMAT);
    o.put("format_version", VectorsFormat.VERSION);
    o.put("dimension", dimension);
    o.put("count", count);
    o.put("dtype", VectorsFormat.DTYPE);
    o.put("byte_order", VectorsFormat.BYTE_ORDER);
    o.put("normalized", normalized);
    o.put("shard_size", shardSize);
    o.put("ids_sha256", idsSha256);
    o.set("producer", producer.deepCopy());
    return o;
  }

  ObjectNode toJson() {
    ObjectNode o = identity();
    ArrayNode array = o.putArray("shards");
    shards.forEach(s -> array.add(s.toJson()));
    return o;
  }

  /** Reads and checks {@code manifest.json}: every field, and shards that tile the rows as the format requires. */
  static VectorsManifest readManifest(Path file) {
    return read(file, true);
  }

  /** Reads and checks {@code progress.json}: the manifest's fields without {@code shards}. */
  static VectorsManifest readProgress(Path file) {
    return read(file, false);
  }

  private static VectorsManifest read(Path file, boolean withShards) {
    JsonFields.Errors errors = problem -> new DataFormatException(file, 0, problem);
    JsonNode root = parse(file);
    if (!root.isObject()) {
      throw errors.error("expected a JSON object, found " + root.getNodeType());
    }
    JsonFields f = new JsonFields(root, errors, "");
    String format = f.text("format");
    if (!format.equals(VectorsFormat.FORMAT)) {
      throw errors.error("not a Quarry vectors manifest: format is \"" + format + "\", expected \""
          + VectorsFormat.FORMAT + "\"");
    }
    long version = f.integer("format_version", Integer.MIN_VALUE, Integer.MAX_VALUE);
    if (version != VectorsFormat.VERSION) {
      throw errors.error("format_version " + version + " is not supported (this reader knows "
          + VectorsFormat.VERSION + ")");
    }
    int dimension = (int) f.integer("dimension", 1, VectorsFormat.MAX_DIMENSION);
    int count = (int) f.integer("count", 0, Integer.MAX_VALUE);
    f.expect("dtype", f.text("dtype"), VectorsFormat.DTYPE);
    f.expect("byte_order", f.text("byte_order"), VectorsFormat.BYTE_ORDER);
    boolean normalized = f.bool("normalized");
    int shardSize = (int) f.integer("shard_size", 1, Integer.MAX_VALUE);
    String idsSha256 = f.sha256("ids_sha256");
    ObjectNode producer = f.object("producer");
    List<ShardEntry> shards = new ArrayList<>();
    if (withShards) {
      JsonNode array = f.array("shards");
      int expected = VectorsFormat.shardCount(count, shardSize);
      if (array.size() != expected) {
        throw errors.error("expected " + expected + " shards for " + count + " rows in shards of " + shardSize
            + ", found " + array.size());
      }
      for (int k = 0; k < expected; k++) {
        shards.add(ShardEntry.fromJson(array.get(k), k, count, dimension, shardSize, errors));
      }
    }
    return new VectorsManifest(dimension, count, normalized, shardSize, idsSha256, producer, shards);
  }

  /** Parses a whole JSON file strictly (valid UTF-8, one value, nothing after it). */
  static JsonNode parse(Path file) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (CharacterCodingException e) {
      throw new DataFormatException(file, "invalid UTF-8", e);
    } catch (IOException e) {
      throw new DataFormatException(file, "cannot read: " + e, e);
    }
    try {
      JsonNode node = JsonLines.MAPPER.readerFor(JsonNode.class)
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .readValue(text);
      if (node == null || node.isMissingNode()) {
        throw new DataFormatException(file, 0, "empty file");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new DataFormatException(file, "malformed JSON: " + e.getOriginalMessage(), e);
    }
  }
}
