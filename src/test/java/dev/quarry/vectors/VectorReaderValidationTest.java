package dev.quarry.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.DataFormatException;
import dev.quarry.io.JsonLines;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorReaderValidationTest {
  @TempDir
  Path tmp;

  private Path dir;

  @BeforeEach
  void write() {
    dir = tmp.resolve("vectors");
    VectorFixtures.writeAll(dir, VectorFixtures.ids(25), VectorFixtures.config(7, 4, 10, false), 7, 6);
  }

  private Path file(String name) {
    return dir.resolve(name);
  }

  private static void putHeaderInt(Path file, int offset, int value) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value), offset);
    }
  }

  private void replaceInManifest(String from, String to) throws IOException {
    String manifest = Files.readString(file("manifest.json"));
    assertThat(manifest).contains(from);
    Files.writeString(file("manifest.json"), manifest.replace(from, to));
  }

  @Test
  void aCorruptByteInAShardIsReportedWithTheShardsName() throws IOException {
    VectorFixtures.flipByte(file("shard-00001.vec"), 28 + 4 * 16 + 1);   // row 14
    assertThatThrownBy(() -> VectorReader.open(dir))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(file("shard-00001.vec") + ": corrupt: its SHA-256 is ")
        .hasMessageContaining("but the manifest recorded ")
        .satisfies(e -> assertThat(((DataFormatException) e).file()).isEqualTo(file("shard-00001.vec")));
    // without checksums the structure still holds, and the damage is read as data
    try (VectorReader reader = VectorReader.open(dir, VectorReader.Verification.STRUCTURE)) {
      assertThat(reader.vector(14)).isNotEqualTo(VectorFixtures.row(7, 14, 4, false));
      assertThat(reader.vector(15)).containsExactly(VectorFixtures.row(7, 15, 4, false));
    }
  }

  @Test
  void aCorruptIdsFileIsReportedWithItsName() throws IOException {
    Path ids = file("shard-00002.ids");
    Files.writeString(ids, Files.readString(ids).replace("doc-20", "doc-2X"));
    assertThatThrownBy(() -> VectorReader.open(dir))
        .hasMessageStartingWith(ids + ": corrupt: its SHA-256 is ");
  }

  @Test
  void wrongMagicBytesAreNotAVectorsShard() throws IOException {
    Files.write(file("shard-00000.vec"), "XVEC".getBytes(), StandardOpenOption.WRITE);
    for (VectorReader.Verification verification : VectorReader.Verification.values()) {
      assertThatThrownBy(() -> VectorReader.open(dir, verification))
          .isInstanceOf(DataFormatException.class)
          .hasMessage(file("shard-00000.vec") + ": not a Quarry vectors shard: the magic bytes are 58 56 45 43,"
              + " expected \"QVEC\" (51 56 45 43)");
    }
  }

  @Test
  void headerFieldsMustAgreeWithTheManifest() throws IOException {
    putHeaderInt(file("shard-00001.vec"), 8, 5);
    assertThatThrownBy(() -> VectorReader.open(dir, VectorReader.Verification.STRUCTURE))
        .hasMessage(file("shard-00001.vec") + ": the header's dimension is 5, the manifest says 4");
    putHeaderInt(file("shard-00001.vec"), 8, 4);
    putHeaderInt(file("shard-00001.vec"), 4, 2);
    assertThatThrownBy(() -> VectorReader.open(dir, VectorReader.Verification.STRUCTURE))
        .hasMessage(file("shard-00001.vec") + ": the header's format version is 2, the manifest says 1");
    putHeaderInt(file("shard-00001.vec"), 4, 1);
    putHeaderInt(file("shard-00001.vec"), 20, 0);
    assertThatThrownBy(() -> VectorReader.open(dir, VectorReader.Verification.STRUCTURE))
        .hasMessage(file("shard-00001.vec") + ": the header's first row is 0, the manifest says 10");
  }

  @Test
  void aTruncatedOrMissingShardIsReported() throws IOException {
    Path last = file("shard-00002.vec");
    byte[] bytes = Files.readAllBytes(last);
    Files.write(last, Arrays.copyOf(bytes, bytes.length - 3));
    assertThatThrownBy(() -> VectorReader.open(dir, VectorReader.Verification.STRUCTURE))
        .hasMessage(last + ": truncated: 105 bytes, expected 108 (5 rows of dimension 4 need 108 bytes)");
    Files.delete(last);
    assertThatThrownBy(() -> VectorReader.open(dir))
        .hasMessage(last + ": missing: the manifest lists it");
    Files.write(last, Arrays.copyOf(bytes, bytes.length + 1));
    assertThatThrownBy(() -> VectorReader.open(dir))
        .hasMessage(last + ": 109 bytes, expected 108 (5 rows of dimension 4 need 108 bytes)");
  }

  @Test
  void anArtifactWithoutManifestIsIncomplete() throws IOException {
    Files.delete(file("manifest.json"));
    assertThatThrownBy(() -> VectorReader.open(dir))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(dir + ": incomplete vectors artifact: no manifest.json (its writer has not finished; run it"
            + " again to resume)");
    assertThatThrownBy(() -> VectorReader.open(tmp.resolve("nowhere")))
        .hasMessage(tmp.resolve("nowhere") + ": no vectors artifact: the folder does not exist");
  }

  @Test
  void aWriterThatHasNotFinishedLeavesNothingReadable() {
    Path partial = tmp.resolve("partial");
    VectorWriterConfig config = VectorFixtures.config(7, 4, 10, false);
    try (VectorWriter writer = VectorWriter.open(partial, VectorFixtures.ids(25), config)) {
      VectorFixtures.append(writer, 7, 0, 25, 25, config);
    }
    assertThatThrownBy(() -> VectorReader.open(partial)).hasMessageContaining("incomplete vectors artifact");
  }

  @Test
  void aBadManifestIsReportedWithTheField() throws IOException {
    Path manifest = file("manifest.json");
    String original = Files.readString(manifest);
    replaceInManifest("\"float32\"", "\"float16\"");
    assertThatThrownBy(() -> VectorReader.open(dir))
        .hasMessage(manifest + ": field \"dtype\" is \"float16\", expected \"float32\"");
    Files.writeString(manifest, original);
    replaceInManifest("\"format_version\" : 1", "\"format_version\" : 2");
    assertThatThrownBy(() -> VectorReader.open(dir))
        .hasMessage(manifest + ": format_version 2 is not supported (this reader knows 1)");
    Files.writeString(manifest, original);
    replaceInManifest("\"count\" : 25", "\"count\" : 35");
    assertThatThrownBy(() -> VectorReader.open(dir))
        .hasMessage(manifest + ": expected 4 shards for 35 rows in shards of 10, found 3");
    Files.writeString(manifest, original);
    replaceInManifest("\"shard-00001.vec\"", "\"../shard-00001.vec\"");
    assertThatThrownBy(() -> VectorReader.open(dir))
        .hasMessage(manifest + ": shard 1: field \"vectors\" is \"../shard-00001.vec\", expected \"shard-00001.vec\"");
    Files.writeString(manifest, original);
    replaceInManifest("\"first_row\" : 20", "\"first_row\" : 19");
    assertThatThrownBy(() -> VectorReader.open(dir))
        .hasMessage(manifest + ": shard 2: field \"first_row\" is 19, expected 20");
    Files.writeString(manifest, original);
    replaceInManifest("\"little-endian\"", "\"big-endian\"");
    assertThatThrownBy(() -> VectorReader.open(dir))
        .hasMessage(manifest + ": field \"byte_order\" is \"big-endian\", expected \"little-endian\"");
    Files.writeString(manifest, original.substring(0, original.length() / 2));
    assertThatThrownBy(() -> VectorReader.open(dir)).hasMessageStartingWith(manifest + ": malformed JSON: ");
    ObjectNode json = (ObjectNode) JsonLines.MAPPER.readTree(original);
    Files.writeString(manifest, json.put("ids_sha256", "0".repeat(64)).toString());
    assertThatThrownBy(() -> VectorReader.open(dir))
        .hasMessageStartingWith(manifest + ": ids_sha256 is " + "0".repeat(64) + " but the ids files hash to ");
    try (VectorReader reader = VectorReader.open(dir, VectorReader.Verification.STRUCTURE)) {
      assertThat(reader.count()).isEqualTo(25);
    }
  }
}
