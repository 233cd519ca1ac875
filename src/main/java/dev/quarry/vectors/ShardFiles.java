package dev.quarry.vectors;

import dev.quarry.io.Checksums;
import dev.quarry.io.DataFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Encoding and checking of the two files of a shard, {@code .vec} and {@code .ids} (see {@link VectorsFormat}). */
final class ShardFiles {
  private ShardFiles() {
  }

  /** The {@value VectorsFormat#HEADER_BYTES}-byte header of a {@code .vec} file, ready to write. */
  static ByteBuffer header(int dimension, int rows, long firstRow) {
    ByteBuffer b = ByteBuffer.allocate(VectorsFormat.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(VectorsFormat.MAGIC).putInt(VectorsFormat.VERSION).putInt(dimension).putLong(rows).putLong(firstRow);
    return b.flip();
  }

  /**
   * Checks a {@code .vec} file against its manifest entry: present, of the recorded size, a header that agrees with
   * the manifest, and, when {@code checksum} is set, the recorded SHA-256.
   */
  static void checkVectors(Path file, ShardEntry entry, int dimension, boolean checksum) {
    checkSize(file, entry.vectorsBytes(), entry.rows() + " rows of dimension " + dimension + " need "
        + entry.vectorsBytes() + " bytes");
    ByteBuffer h = ByteBuffer.allocate(VectorsFormat.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (h.hasRemaining() && channel.read(h) >= 0) {
        // fill the header
      }
    } catch (IOException e) {
      throw new DataFormatException(file, "cannot read: " + e, e);
    }
    h.flip();
    if (h.remaining() < VectorsFormat.HEADER_BYTES) {
      throw new DataFormatException(file, 0, "truncated header: " + h.remaining() + " bytes");
    }
    int magic = h.getInt(0);
    if (magic != VectorsFormat.MAGIC) {
      throw new DataFormatException(file, 0, "not a Quarry vectors shard: the magic bytes are "
          + HexFormat.ofDelimiter(" ").formatHex(h.array(), 0, 4) + ", expected \"QVEC\" (51 56 45 43)");
    }
    expectHeader(file, "format version", h.getInt(4), VectorsFormat.VERSION);
    expectHeader(file, "dimension", h.getInt(8), dimension);
    expectHeader(file, "row count", h.getLong(12), entry.rows());
    expectHeader(file, "first row", h.getLong(20), entry.firstRow());
    if (checksum) {
      checkSha256(file, Checksums.sha256(file), entry.vectorsSha256());
    }
  }

  private static void expectHeader(Path file, String field, long found, long expected) {
    if (found != expected) {
      throw new DataFormatException(file, 0, "the header's " + field + " is " + found + ", the manifest says "
          + expected);
    }
  }

  static void checkSize(Path file, long expected, String why) {
    long size;
    try {
      size = Files.size(file);
    } catch (NoSuchFileException e) {
      throw new DataFormatException(file, "missing: the manifest lists it", e);
    } catch (IOException e) {
      throw new DataFormatException(file, "cannot read: " + e, e);
    }
    if (size < expected) {
      throw new DataFormatException(file, 0, "truncated: " + size + " bytes, expected " + expected + " (" + why + ")");
    }
    if (size > expected) {
      throw new DataFormatException(file, 0, size + " bytes, expected " + expected + " (" + why + ")");
    }
  }

  static void checkSha256(Path file, String found, String recorded) {
    if (!found.equals(recorded)) {
      throw new DataFormatException(file, 0, "corrupt: its SHA-256 is " + found + " but the manifest recorded "
          + recorded);
    }
  }

  /**
   * Reads the {@code rows} ids of an {@code .ids} file, strictly: valid UTF-8, every line ended by {@code \n}, no
   * empty id, no {@code \r}. Every byte read also goes to {@code digests}.
   */
  static List<String> readIds(Path file, int rows, MessageDigest... digests) {
    List<String> ids = new ArrayList<>(rows);
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        for (MessageDigest d : digests) {
          d.update(buffer, 0, n);
        }
        int start = 0;
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            line.write(buffer, start, i - start);
            ids.add(decodeId(file, ids.size() + 1, line.toByteArray(), decoder, rows));
            line.reset();
            start = i + 1;
          }
        }
        line.write(buffer, start, n - start);
      }
    } catch (NoSuchFileException e) {
      throw new DataFormatException(file, "missing: the manifest lists it", e);
    } catch (IOException e) {
      throw new DataFormatException(file, "cannot read: " + e, e);
    }
    if (line.size() > 0) {
      throw new DataFormatException(file, ids.size() + 1, "the last line has no line end (truncated file?)");
    }
    if (ids.size() != rows) {
      throw new DataFormatException(file, 0, "holds " + ids.size() + " ids, expected " + rows);
    }
    return ids;
  }

  private static String decodeId(Path file, int lineNumber, byte[] bytes, CharsetDecoder decoder, int rows) {
    if (lineNumber > rows) {
      throw new DataFormatException(file, lineNumber, "more ids than the " + rows + " rows of the shard");
    }
    String id;
    try {
      id = decoder.reset().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new DataFormatException(file, lineNumber, "invalid UTF-8", e);
    }
    if (id.isEmpty()) {
      throw new DataFormatException(file, lineNumber, "empty id");
    }
    if (id.indexOf('\r') >= 0) {
      throw new DataFormatException(file, lineNumber, "an id may not contain \\r");
    }
    return id;
  }
}
