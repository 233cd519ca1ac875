package dev.quarry.vectors;

import dev.quarry.io.AtomicOutput;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The shard being written: its {@code .vec} and {@code .ids} files go to temporary files, hashed on the way, and
 * are renamed into place by {@link #commit()} once the shard holds all its rows. Closing it uncommitted deletes
 * the temporary files.
 */
final class ShardOutput implements AutoCloseable {
  private final int index;
  private final long firstRow;
  private final int rows;
  private final int dimension;
  private final AtomicOutput vectorsOut;
  private final AtomicOutput idsOut;
  private final MessageDigest vectorsDigest = IdList.newSha256();
  private final MessageDigest idsDigest = IdList.newSha256();
  private final OutputStream vectors;
  private final OutputStream ids;
  private final ByteBuffer row;
  private long idsBytes;
  private int written;

  private ShardOutput(Path dir, int index, long firstRow, int rows, int dimension) {
    this.index = index;
    this.firstRow = firstRow;
    this.rows = rows;
    this.dimension = dimension;
    this.row = ByteBuffer.allocate(Math.multiplyExact(dimension, Float.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
    this.vectorsOut = AtomicOutput.create(dir.resolve(VectorsFormat.vectorsFile(index)));
    AtomicOutput idsTemp = null;
    try {
      idsTemp = AtomicOutput.create(dir.resolve(VectorsFormat.idsFile(index)));
    } finally {
      if (idsTemp == null) {
        vectorsOut.close();
      }
    }
    this.idsOut = idsTemp;
    this.vectors = new BufferedOutputStream(new DigestOutputStream(vectorsOut.stream(), vectorsDigest), 1 << 16);
    this.ids = new BufferedOutputStream(new DigestOutputStream(idsOut.stream(), idsDigest), 1 << 16);
  }

  /** Starts shard {@code index}, which will hold {@code rows} rows from artifact row {@code firstRow}. */
  static ShardOutput start(Path dir, int index, long firstRow, int rows, int dimension) throws IOException {
    ShardOutput shard = new ShardOutput(dir, index, firstRow, rows, dimension);
    try {
      shard.vectors.write(ShardFiles.header(dimension, rows, firstRow).array());
    } catch (IOException | RuntimeException e) {
      shard.close();
      throw e;
    }
    return shard;
  }

  /** Writes the next row; its length and values have been checked. */
  void write(float[] values, String id) throws IOException {
    if (written == rows) {
      throw new IllegalStateException(VectorsFormat.shardName(index) + " is full");
    }
    row.clear();
    row.asFloatBuffer().put(values);
    vectors.write(row.array(), 0, row.capacity());
    byte[] line = IdList.line(id);
    ids.write(line);
    idsBytes += line.length;
    written++;
  }

  boolean full() {
    return written == rows;
  }

  /** Flushes, syncs and renames both files into place and returns the shard's manifest entry. */
  ShardEntry commit() throws IOException {
    if (!full()) {
      throw new IllegalStateException(VectorsFormat.shardName(index) + " holds " + written + " of " + rows + " rows");
    }
    vectors.flush();
    ids.flush();
    vectorsOut.commit();
    idsOut.commit();
    HexFormat hex = HexFormat.of();
    return new ShardEntry(VectorsFormat.vectorsFile(index), VectorsFormat.idsFile(index), firstRow, rows,
        VectorsFormat.vectorsBytes(rows, dimension), hex.formatHex(vectorsDigest.digest()), idsBytes,
        hex.formatHex(idsDigest.digest()));
  }

  /** Deletes the temporary files unless committed. */
  @Override
  public void close() {
    try {
      vectorsOut.close();
    } finally {
      idsOut.close();
    }
  }
}
