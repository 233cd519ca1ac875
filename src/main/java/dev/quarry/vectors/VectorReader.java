package dev.quarry.vectors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.DataFormatException;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Reads a complete vectors artifact ({@link VectorsFormat}). {@link #open} validates the manifest, every shard's
 * size and header and, by default, every file's SHA-256; each problem is a {@link DataFormatException} naming the
 * file. The ids are loaded; the vectors are memory-mapped, not loaded.
 *
 * <p>Each shard is mapped in windows of at most 2 GB (whole rows each), so shards of any size work with
 * {@link FileChannel#map}; {@link #blocks()} exposes the windows as little-endian {@link FloatBuffer}s. (A single
 * {@code MemorySegment} view needs the FFM API, final only from Java 22; this project compiles for 21.) The mapped
 * memory is released when the buffers become unreachable; {@link #close()} only makes this reader unusable.
 *
 * <p>After {@code open}, every method is safe to call from many threads.
 */
public final class VectorReader implements AutoCloseable {
  /** How much {@link #open} checks. */
  public enum Verification {
    /** The manifest, every file's size and header, and every file's SHA-256 (reads every byte once). */
    CHECKSUMS,
    /** The manifest and every file's size and header, without reading the vectors. */
    STRUCTURE
  }

  /**
   * A memory-mapped run of whole rows of one shard.
   *
   * @param firstRow the artifact row of the block's first row
   * @param rows rows in the block
   * @param vectors {@code rows * dimension} floats, row after row, read-only, position 0; a fresh view per call
   *     of {@link #blocks()}
   */
  public record Block(int firstRow, int rows, FloatBuffer vectors) {
  }

  private final Path dir;
  private final VectorsManifest manifest;
  private final List<String> ids;
  private final int[] windowFirstRow;
  private final FloatBuffer[] windows;
  private volatile boolean closed;

  private VectorReader(Path dir, VectorsManifest manifest, List<String> ids, int[] windowFirstRow,
      FloatBuffer[] windows) {
    this.dir = dir;
    this.manifest = manifest;
    this.ids = ids;
    this.windowFirstRow = windowFirstRow;
    this.windows = windows;
  }

  /** Opens the artifact in {@code dir}, verifying every checksum. */
  public static VectorReader open(Path dir) {
    return open(dir, Verification.CHECKSUMS);
  }

  public static VectorReader open(Path dir, Verification verification) {
    return open(dir, verification, Integer.MAX_VALUE);
  }

  /** As {@link #open(Path, Verification)}, mapping at most {@code maxWindowBytes} bytes at a time (for tests). */
  static VectorReader open(Path dir, Verification verification, long maxWindowBytes) {
    if (verification == null) {
      throw new IllegalArgumentException("verification must be CHECKSUMS or STRUCTURE");
    }
    if (!Files.isDirectory(dir)) {
      throw new DataFormatException(dir, 0, "no vectors artifact: the folder does not exist");
    }
    Path manifestFile = dir.resolve(VectorsFormat.MANIFEST);
    if (!Files.exists(manifestFile)) {
      throw new DataFormatException(dir, 0, "incomplete vectors artifact: no " + VectorsFormat.MANIFEST
          + " (its writer has not finished; run it again to resume)");
    }
    VectorsManifest manifest = VectorsManifest.readManifest(manifestFile);
    boolean checksums = verification == Verification.CHECKSUMS;
    int dimension = manifest.dimension();
    long rowsPerWindow = Math.max(1, maxWindowBytes / VectorsFormat.rowBytes(dimension));
    List<String> ids = new ArrayList<>(manifest.count());
    List<FloatBuffer> windows = new ArrayList<>();
    List<Integer> windowFirstRow = new ArrayList<>();
    MessageDigest allIds = IdList.newSha256();
    for (ShardEntry shard : manifest.shards()) {
      Path vectors = dir.resolve(shard.vectors());
      ShardFiles.checkVectors(vectors, shard, dimension, checksums);
      ids.addAll(readIds(dir.resolve(shard.ids()), shard, checksums, allIds));
      try (FileChannel channel = FileChannel.open(vectors, StandardOpenOption.READ)) {
        for (long r = 0; r < shard.rows(); r += rowsPerWindow) {
          long n = Math.min(rowsPerWindow, shard.rows() - r);
          long offset = VectorsFormat.HEADER_BYTES + r * VectorsFormat.rowBytes(dimension);
          windows.add(channel.map(FileChannel.MapMode.READ_ONLY, offset, n * VectorsFormat.rowBytes(dimension))
              .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer());
          windowFirstRow.add((int) (shard.firstRow() + r));
        }
      } catch (IOException e) {
        throw new DataFormatException(vectors, "cannot map: " + e, e);
      }
    }
    if (checksums) {
      String found = HexFormat.of().formatHex(allIds.digest());
      if (!found.equals(manifest.idsSha256())) {
        throw new DataFormatException(manifestFile, 0, "ids_sha256 is " + manifest.idsSha256()
            + " but the ids files hash to " + found);
      }
    }
    return new VectorReader(dir, manifest, Collections.unmodifiableList(ids),
        windowFirstRow.stream().mapToInt(Integer::intValue).toArray(), windows.toArray(FloatBuffer[]::new));
  }

  private static List<String> readIds(Path file, ShardEntry shard, boolean checksums, MessageDigest allIds) {
    ShardFiles.checkSize(file, shard.idsBytes(), "as the manifest recorded");
    if (!checksums) {
      return ShardFiles.readIds(file, shard.rows());
    }
    MessageDigest fileDigest = IdList.newSha256();
    List<String> ids = ShardFiles.readIds(file, shard.rows(), fileDigest, allIds);
    ShardFiles.checkSha256(file, HexFormat.of().formatHex(fileDigest.digest()), shard.idsSha256());
    return ids;
  }

  /** The artifact's folder. */
  public Path dir() {
    return dir;
  }

  public int count() {
    return manifest.count();
  }

  public int dimension() {
    return manifest.dimension();
  }

  /** Whether every row has unit L2 norm (checked by the writer). */
  public boolean normalized() {
    return manifest.normalized();
  }

  /** The SHA-256 of the ids, as recorded in the manifest: what a derived artifact records as its input. */
  public String idsSha256() {
    return manifest.idsSha256();
  }

  /** A copy of the manifest's {@code producer} object. */
  public ObjectNode producer() {
    return manifest.producer().deepCopy();
  }

  /** The ids in row order (unmodifiable). */
  public List<String> ids() {
    checkOpen();
    return ids;
  }

  /** A copy of row {@code row}. */
  public float[] vector(int row) {
    return vector(row, new float[dimension()]);
  }

  /** Copies row {@code row} into {@code into}, which must have {@link #dimension()} floats, and returns it. */
  public float[] vector(int row, float[] into) {
    checkOpen();
    Objects.checkIndex(row, count());
    if (into.length != dimension()) {
      throw new IllegalArgumentException("into has " + into.length + " floats; the dimension is " + dimension());
    }
    int w = Arrays.binarySearch(windowFirstRow, row);
    if (w < 0) {
      w = -w - 2;
    }
    long offset = (long) (row - windowFirstRow[w]) * dimension();
    windows[w].get((int) offset, into);
    return into;
  }

  /** Every row, copied to the heap: for small artifacts. Large ones are better read through {@link #blocks()}. */
  public float[][] all() {
    float[][] rows = new float[count()][];
    for (Block block : blocks()) {
      for (int r = 0; r < block.rows(); r++) {
        float[] row = new float[dimension()];
        block.vectors().get(row);
        rows[block.firstRow() + r] = row;
      }
    }
    return rows;
  }

  /** The memory-mapped rows, in order, as read-only buffers of whole rows (one or more per shard). */
  public List<Block> blocks() {
    checkOpen();
    List<Block> blocks = new ArrayList<>(windows.length);
    for (int w = 0; w < windows.length; w++) {
      FloatBuffer view = windows[w].duplicate();
      blocks.add(new Block(windowFirstRow[w], view.capacity() / dimension(), view));
    }
    return blocks;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the vector reader for " + dir + " is closed");
    }
  }

  /** Makes this reader unusable. Mapped memory is unmapped once no buffer from {@link #blocks()} is reachable. */
  @Override
  public void close() {
    closed = true;
  }
}
