package dev.quarry.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.JsonLines;

/**
 * One shard's entry in {@code manifest.json}, also written alone as its {@code .done} file (see
 * {@link VectorsFormat}).
 */
record ShardEntry(String vectors, String ids, long firstRow, int rows, long vectorsBytes, String vectorsSha256,
    long idsBytes, String idsSha256) {

  ObjectNode toJson() {
    ObjectNode o = JsonLines.MAPPER.createObjectNode();
    o.put("vectors", vectors);
    o.put("ids", ids);
    o.put("first_row", firstRow);
    o.put("rows", rows);
    o.put("vectors_bytes", vectorsBytes);
    o.put("vectors_sha256", vectorsSha256);
    o.put("ids_bytes", idsBytes);
    o.put("ids_sha256", idsSha256);
    return o;
  }

  /**
   * Reads and checks an entry that must describe shard {@code index} of an artifact with {@code count} rows of
   * {@code dimension} floats in shards of {@code shardSize}.
   */
  static ShardEntry fromJson(JsonNode node, int index, int count, int dimension, int shardSize,
      JsonFields.Errors errors) {
    String where = "shard " + index + ": ";
    if (!node.isObject()) {
      throw errors.error(where + "expected a JSON object, found " + node.getNodeType());
    }
    JsonFields f = new JsonFields(node, errors, where);
    ShardEntry entry = new ShardEntry(f.text("vectors"), f.text("ids"), f.integer("first_row", 0, Long.MAX_VALUE),
        (int) f.integer("rows", 1, Integer.MAX_VALUE), f.integer("vectors_bytes", 0, Long.MAX_VALUE),
        f.sha256("vectors_sha256"), f.integer("ids_bytes", 0, Long.MAX_VALUE), f.sha256("ids_sha256"));
    f.expect("vectors", entry.vectors, VectorsFormat.vectorsFile(index));
    f.expect("ids", entry.ids, VectorsFormat.idsFile(index));
    f.expect("first_row", entry.firstRow, (long) index * shardSize);
    int rows = VectorsFormat.shardRows(index, count, shardSize);
    f.expect("rows", entry.rows, rows);
    f.expect("vectors_bytes", entry.vectorsBytes, VectorsFormat.vectorsBytes(rows, dimension));
    if (entry.idsBytes < 2L * rows) {
      throw errors.error(where + "ids_bytes " + entry.idsBytes + " is too small for " + rows + " ids");
    }
    return entry;
  }
}
