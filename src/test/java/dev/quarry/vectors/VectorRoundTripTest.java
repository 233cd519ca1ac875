package dev.quarry.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.io.Checksums;
import dev.quarry.io.JsonLines;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorRoundTripTest {
  @TempDir
  Path tmp;

  private static void assertSameBits(float[] actual, float[] expected, String what) {
    assertThat(actual).as(what).hasSameSizeAs(expected);
    for (int j = 0; j < expected.length; j++) {
      assertThat(Float.floatToRawIntBits(actual[j])).as(what + " [" + j + "]")
          .isEqualTo(Float.floatToRawIntBits(expected[j]));
    }
  }

  @Test
  void randomVectorsReadBackBitForBitThroughEveryView() {
    long seed = VectorFixtures.seed("randomVectorsReadBackBitForBitThroughEveryView");
    SplittableRandom random = new SplittableRandom(seed);
    int count = 1 + random.nextInt(300);
    int dimension = 1 + random.nextInt(40);
    int shardSize = 1 + random.nextInt(64);
    int batch = 1 + random.nextInt(50);
    String params = "seed " + seed + ", count " + count + ", dimension " + dimension + ", shardSize " + shardSize
        + ", batch " + batch;
    List<String> ids = VectorFixtures.ids(count);
    VectorWriterConfig config = VectorFixtures.config(seed, dimension, shardSize, false);
    Path dir = tmp.resolve("vectors");
    VectorFixtures.writeAll(dir, ids, config, seed, batch);

    int shards = (count + shardSize - 1) / shardSize;
    assertThat(VectorFixtures.names(dir)).as(params).isEqualTo(VectorFixtures.artifactFiles(shards));
    float[][] expected = VectorFixtures.rows(seed, 0, count, dimension, false);
    // a small mapping window splits shards into several blocks, as 2 GB does for large shards
    long window = (1 + random.nextInt(5)) * (long) dimension * Float.BYTES;
    for (long maxWindow : new long[] {Integer.MAX_VALUE, window}) {
      try (VectorReader reader = VectorReader.open(dir, VectorReader.Verification.CHECKSUMS, maxWindow)) {
        assertThat(reader.count()).isEqualTo(count);
        assertThat(reader.dimension()).isEqualTo(dimension);
        assertThat(reader.ids()).isEqualTo(ids);
        assertThat(reader.normalized()).isFalse();
        assertThat(reader.producer()).isEqualTo(config.producer());
        float[] into = new float[dimension];
        for (int r = 0; r < count; r++) {
          assertSameBits(reader.vector(r), expected[r], params + ", vector(" + r + ")");
          assertSameBits(reader.vector(r, into), expected[r], params + ", vector(" + r + ", into)");
        }
        float[][] all = reader.all();
        for (int r = 0; r < count; r++) {
          assertSameBits(all[r], expected[r], params + ", all()[" + r + "]");
        }
        int next = 0;
        for (VectorReader.Block block : reader.blocks()) {
          assertThat(block.firstRow()).as(params).isEqualTo(next);
          FloatBuffer floats = block.vectors();
          assertThat(floats.remaining()).isEqualTo(block.rows() * dimension);
          assertThat(floats.isReadOnly()).isTrue();
          for (int r = 0; r < block.rows(); r++) {
            float[] row = new float[dimension];
            floats.get(row);
            assertSameBits(row, expected[next + r], params + ", block row " + (next + r));
          }
          next += block.rows();
        }
        assertThat(next).isEqualTo(count);
        if (maxWindow == window) {
          assertThat(reader.blocks().size()).isGreaterThanOrEqualTo(shards);
        } else {
          assertThat(reader.blocks()).hasSize(shards);
        }
      }
    }
  }

  @Test
  void normalizedVectorsAreMarkedAndRowsAreCheckedForUnitNorm() {
    long seed = VectorFixtures.seed("normalizedVectorsAreMarkedAndRowsAreCheckedForUnitNorm");
    Path dir = tmp.resolve("vectors");
    VectorWriterConfig config = VectorFixtures.config(seed, 12, 10, true);
    VectorFixtures.writeAll(dir, VectorFixtures.ids(25), config, seed, 4);
    try (VectorReader reader = VectorReader.open(dir)) {
      assertThat(reader.normalized()).isTrue();
      assertThat(reader.vector(24)).containsExactly(VectorFixtures.row(seed, 24, 12, true));
    }
    try (VectorWriter writer = VectorWriter.open(tmp.resolve("other"), VectorFixtures.ids(3), config)) {
      float[] twice = new float[12];
      twice[3] = 2;
      assertThatThrownBy(() -> writer.append(new float[][] {twice}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("row 0 (id \"doc-0\") has L2 norm 2.0, but the vectors are declared normalized");
      float[] close = VectorFixtures.row(seed, 0, 12, true);
      close[0] += 1e-4f;   // within the tolerance
      writer.append(new float[][] {close});
    }
  }

  @Test
  void theFilesFollowTheDocumentedLayoutByteForByte() throws IOException {
    Path dir = tmp.resolve("vectors");
    VectorWriterConfig config = new VectorWriterConfig(2, 2, false,
        JsonLines.MAPPER.createObjectNode().put("model", "m"));
    try (VectorWriter writer = VectorWriter.open(dir, List.of("a", "bé", "c"), config)) {
      writer.append(new float[][] {{1f, -0.0f}, {0.5f, Float.MIN_VALUE}, {-2f, 3f}});
      writer.finish();
    }
    assertThat(VectorFixtures.names(dir)).isEqualTo(VectorFixtures.artifactFiles(2));

    ByteBuffer vec = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("shard-00001.vec"))).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(vec.capacity()).isEqualTo(28 + 4 * 2);
    assertThat(new String(vec.array(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("QVEC");
    assertThat(vec.getInt(4)).as("format version").isEqualTo(1);
    assertThat(vec.getInt(8)).as("dimension").isEqualTo(2);
    assertThat(vec.getLong(12)).as("rows").isEqualTo(1);
    assertThat(vec.getLong(20)).as("first row").isEqualTo(2);
    assertThat(vec.getFloat(28)).isEqualTo(-2f);
    assertThat(vec.getFloat(32)).isEqualTo(3f);
    ByteBuffer first = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("shard-00000.vec"))).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(first.getInt(28 + 4)).as("negative zero").isEqualTo(0x80000000);
    assertThat(first.getInt(28 + 12)).as("subnormal").isEqualTo(1);
    assertThat(Files.readString(dir.resolve("shard-00000.ids"))).isEqualTo("a\nbé\n");
    assertThat(Files.readString(dir.resolve("shard-00001.ids"))).isEqualTo("c\n");

    JsonNode manifest = JsonLines.MAPPER.readTree(dir.resolve("manifest.json").toFile());
    List<String> fields = new ArrayList<>();
    manifest.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("format", "format_version", "dimension", "count", "dtype", "byte_order",
        "normalized", "shard_size", "ids_sha256", "producer", "shards");
    assertThat(manifest.get("format").asText()).isEqualTo("quarry-vectors");
    assertThat(manifest.get("dtype").asText()).isEqualTo("float32");
    assertThat(manifest.get("byte_order").asText()).isEqualTo("little-endian");
    assertThat(manifest.get("count").asInt()).isEqualTo(3);
    assertThat(manifest.get("producer").get("model").asText()).isEqualTo("m");
    assertThat(manifest.get("ids_sha256").asText()).isEqualTo(Checksums.sha256("a\nbé\nc\n"));
    JsonNode shard = manifest.get("shards").get(1);
    List<String> shardFields = new ArrayList<>();
    shard.fieldNames().forEachRemaining(shardFields::add);
    assertThat(shardFields).containsExactly("vectors", "ids", "first_row", "rows", "vectors_bytes", "vectors_sha256",
        "ids_bytes", "ids_sha256");
    assertThat(shard.get("vectors").asText()).isEqualTo("shard-00001.vec");
    assertThat(shard.get("first_row").asLong()).isEqualTo(2);
    assertThat(shard.get("rows").asInt()).isEqualTo(1);
    assertThat(shard.get("vectors_bytes").asLong()).isEqualTo(36);
    assertThat(shard.get("vectors_sha256").asText()).isEqualTo(Checksums.sha256(dir.resolve("shard-00001.vec")));
    assertThat(shard.get("ids_sha256").asText()).isEqualTo(Checksums.sha256(dir.resolve("shard-00001.ids")));
    assertThat(Files.readString(dir.resolve("manifest.json"))).endsWith("}\n").doesNotContain("\r");
  }

  @Test
  void anEmptyIdListGivesAnArtifactWithoutShards() {
    Path dir = tmp.resolve("empty");
    VectorFixtures.writeAll(dir, List.of(), VectorFixtures.config(1, 4, 10, false), 1, 5);
    assertThat(VectorFixtures.names(dir)).containsExactly("manifest.json");
    try (VectorReader reader = VectorReader.open(dir)) {
      assertThat(reader.count()).isZero();
      assertThat(reader.ids()).isEmpty();
      assertThat(reader.all()).isEmpty();
      assertThat(reader.blocks()).isEmpty();
      assertThatThrownBy(() -> reader.vector(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @Test
  void aClosedReaderRefusesReads() {
    Path dir = tmp.resolve("vectors");
    VectorFixtures.writeAll(dir, VectorFixtures.ids(3), VectorFixtures.config(1, 4, 2, false), 1, 3);
    VectorReader reader = VectorReader.open(dir);
    reader.close();
    assertThatThrownBy(() -> reader.vector(0)).isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith("is closed");
  }
}
