package dev.quarry.vectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.JsonLines;

/**
 * What a {@link VectorWriter} writes besides the ids and the vectors themselves. A resumed writer must be given an
 * equal config: it is recorded in {@code progress.json} and compared.
 *
 * @param dimension floats per row, in {@code [1, 536870911]}
 * @param shardSize rows per shard, positive (for example {@link #DEFAULT_SHARD_SIZE}); a killed job loses at most
 *     one shard of work
 * @param normalized whether every row has unit L2 norm; the writer checks each row when true
 * @param producer what made the vectors (model, recipe, input checksums, versions), recorded as the manifest's
 *     {@code producer}; plain JSON without timestamps. The record keeps its own copy, normalized by a round trip
 *     through JSON text so that it equals the copy read back from disk.
 */
public record VectorWriterConfig(int dimension, int shardSize, boolean normalized, ObjectNode producer) {
  /** 10,000 rows: 15 MB per shard at dimension 384, 30 MB at 768. */
  public static final int DEFAULT_SHARD_SIZE = 10_000;

  public VectorWriterConfig {
    if (dimension <= 0 || dimension > VectorsFormat.MAX_DIMENSION) {
      throw new IllegalArgumentException("dimension must be positive and <= " + VectorsFormat.MAX_DIMENSION
          + "; dimension=" + dimension);
    }
    if (shardSize <= 0) {
      throw new IllegalArgumentException("shardSize must be positive; shardSize=" + shardSize);
    }
    if (producer == null) {
      throw new IllegalArgumentException("producer must be a JSON object (an empty one if there is nothing to record)");
    }
    producer = normalize(producer);
  }

  /** A config with {@link #DEFAULT_SHARD_SIZE}. */
  public VectorWriterConfig(int dimension, boolean normalized, ObjectNode producer) {
    this(dimension, DEFAULT_SHARD_SIZE, normalized, producer);
  }

  /** A copy of the producer object. */
  @Override
  public ObjectNode producer() {
    return producer.deepCopy();
  }

  private static ObjectNode normalize(ObjectNode producer) {
    try {
      JsonNode copy = JsonLines.MAPPER.readTree(JsonLines.MAPPER.writeValueAsString(producer));
      return (ObjectNode) copy;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("producer must be plain JSON: "
          + e.getOriginalMessage(), e);
    }
  }
}
