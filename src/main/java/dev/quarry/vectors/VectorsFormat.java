package dev.quarry.vectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.quarry.io.JsonLines;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The on-disk format of a vectors artifact, version 1: the float32 embeddings of an ordered list of ids (a corpus
 * or a query set), in shards, with a manifest written last.
 *
 * <h2>Folder</h2>
 * <pre>
 * manifest.json      written last and atomically: the artifact is complete iff this file exists
 * shard-00000.vec    rows [0, S) as float32
 * shard-00000.ids    their ids
 * shard-00001.vec    rows [S, 2S)
 * shard-00001.ids
 * ...
 * </pre>
 * With {@code S = shard_size} and {@code N = count}, shard {@code k} holds rows {@code [k*S, min((k+1)*S, N))}:
 * there are {@code ceil(N / S)} shards, every shard but the last is full, and none is empty (an artifact of 0 rows
 * has none). A shard's name is {@code shard-} and its index in decimal, zero-padded to at least 5 digits.
 *
 * <p>While a writer runs, and after it was killed, the folder also holds its progress files. They are not part of
 * the artifact: readers ignore them, and {@link VectorWriter#finish()} deletes them after writing the manifest.
 * <ul>
 *   <li>{@code progress.json}: the manifest without {@code shards}, written atomically before the first shard. A
 *       resumed writer must be given the same values (ids, dimension, shard size, normalized flag, producer).</li>
 *   <li>{@code shard-NNNNN.done}: the shard's manifest entry (below), written atomically once both shard files have
 *       been renamed into place. A shard without one, or whose files no longer match it, is incomplete: a resumed
 *       writer deletes it and every later shard.</li>
 *   <li>{@code writer.lock}: an operating-system lock held by the running writer, so two writers never share a
 *       folder. The operating system releases it when the process dies, even by {@code kill -9}.</li>
 *   <li>{@code .NAME.tmp-PID-N}: a file being written, renamed to {@code NAME} once complete and synced.</li>
 * </ul>
 *
 * <h2>manifest.json</h2>
 * A UTF-8 JSON object, pretty-printed with {@code \n} line ends, with these fields in this order:
 * <ul>
 *   <li>{@code format} (string): {@code "quarry-vectors"}.</li>
 *   <li>{@code format_version} (int): {@code 1}; the same number as in every {@code .vec} header.</li>
 *   <li>{@code dimension} (int): floats per row, in {@code [1, 536870911]}.</li>
 *   <li>{@code count} (int): rows in the artifact, {@code >= 0}.</li>
 *   <li>{@code dtype} (string): {@code "float32"}, IEEE 754 binary32.</li>
 *   <li>{@code byte_order} (string): {@code "little-endian"}, for every number in the {@code .vec} files.</li>
 *   <li>{@code normalized} (boolean): true when every row has an L2 norm within {@value #NORM_TOLERANCE} of 1. The
 *       writer checks this for every row; use dot product as cosine only when it is true.</li>
 *   <li>{@code shard_size} (int): {@code S} above, rows per shard, {@code >= 1}.</li>
 *   <li>{@code ids_sha256} (string): lowercase hex SHA-256 of every id in row order, each followed by {@code \n},
 *       in UTF-8; that is, of the {@code .ids} files concatenated in shard order.</li>
 *   <li>{@code producer} (object): free-form, given by the caller: the model, the recipe (pooling, prefixes, max
 *       length, whether titles were prepended), input checksums, software versions. It must hold nothing that
 *       changes between runs (no timestamps), since a resumed run must pass the identical object.</li>
 *   <li>{@code shards} (array): one object per shard, in shard order, with these fields in this order:
 *     <ul>
 *       <li>{@code vectors} (string): the vectors file's name, {@code shard-NNNNN.vec}.</li>
 *       <li>{@code ids} (string): the ids file's name, {@code shard-NNNNN.ids}.</li>
 *       <li>{@code first_row} (int64): the artifact row of the shard's first row, {@code k*S}.</li>
 *       <li>{@code rows} (int): rows in the shard, {@code min(S, N - k*S)}.</li>
 *       <li>{@code vectors_bytes} (int64): the vectors file's size, {@code 28 + rows*dimension*4}.</li>
 *       <li>{@code vectors_sha256} (string): lowercase hex SHA-256 of the whole vectors file, header included.</li>
 *       <li>{@code ids_bytes} (int64): the ids file's size.</li>
 *       <li>{@code ids_sha256} (string): lowercase hex SHA-256 of the ids file.</li>
 *     </ul>
 *   </li>
 * </ul>
 * The manifest holds no timestamps and no absolute paths, so the same input always gives the same bytes.
 *
 * <h2>shard-NNNNN.vec</h2>
 * A fixed header of {@value #HEADER_BYTES} bytes, then the rows. All numbers are little-endian.
 * <pre>
 * offset  size                  field
 *      0     4                  magic: the ASCII bytes "QVEC" (0x51 0x56 0x45 0x43)
 *      4     4  int32           format version: 1
 *      8     4  int32           dimension: equal to the manifest's
 *     12     8  int64           rows in this shard: equal to the manifest entry's
 *     20     8  int64           first row: the artifact row of this shard's first row, equal to first_row
 *     28     rows*dimension*4   float32 values, row after row; shard row r is artifact row first_row + r
 * </pre>
 * The file is exactly {@code 28 + rows*dimension*4} bytes long; every float starts at a multiple of 4. Floats are
 * stored bit for bit as given (negative zero and subnormals included); the writer rejects NaN and infinities.
 *
 * <h2>shard-NNNNN.ids</h2>
 * UTF-8 without a byte order mark: one id per line, in row order, each line ended by {@code \n}, the last one
 * included, so the file holds exactly {@code rows} line ends. Ids are non-empty, hold no {@code \n} or {@code \r},
 * and are unique across the artifact.
 */
public final class VectorsFormat {
  /** The value of the manifest's {@code format} field. */
  public static final String FORMAT = "quarry-vectors";
  /** The format version written to the manifest and to every {@code .vec} header. */
  public static final int VERSION = 1;
  /** The first four bytes of a {@code .vec} file, {@code "QVEC"}, read as a little-endian int32. */
  public static final int MAGIC = 'Q' | 'V' << 8 | 'E' << 16 | 'C' << 24;
  /** Size of the {@code .vec} header in bytes. */
  public static final int HEADER_BYTES = 28;
  /** The largest dimension: a row's bytes must fit in an int. */
  public static final int MAX_DIMENSION = Integer.MAX_VALUE / Float.BYTES;
  public static final String DTYPE = "float32";
  public static final String BYTE_ORDER = "little-endian";
  public static final String MANIFEST = "manifest.json";
  /** How far from 1 a row's L2 norm may be in an artifact marked {@code normalized}. */
  public static final double NORM_TOLERANCE = 1e-3;

  static final String PROGRESS = "progress.json";
  static final String LOCK = "writer.lock";
  static final String VECTORS_SUFFIX = ".vec";
  static final String IDS_SUFFIX = ".ids";
  static final String DONE_SUFFIX = ".done";

  /** A shard file (group 1: the index, group 2: the suffix). */
  static final Pattern SHARD_FILE = Pattern.compile("shard-(\\d{5,})\\.(vec|ids|done)");
  /**
   * A temporary file of {@link dev.quarry.io.AtomicOutput} for one of this format's files: {@code .NAME.tmp-PID-N}
   * ({@link dev.quarry.io.Leftovers}), or {@code .NAME.*.tmp} as earlier versions named them.
   */
  static final Pattern TEMP_FILE = Pattern.compile(
      "\\.(manifest\\.json|progress\\.json|shard-\\d{5,}\\.(vec|ids|done))\\.(tmp-\\d+-\\d+|.*\\.tmp)");

  /**
   * Whether a file of this name belongs to a finished artifact: its manifest or a shard's files (not a lock, a
   * progress record or a temporary file).
   */
  public static boolean isArtifactFile(String name) {
    return name.equals(MANIFEST) || SHARD_FILE.matcher(name).matches();
  }

  private static final ObjectWriter JSON = JsonLines.MAPPER.writer(new DefaultPrettyPrinter()
      .withObjectIndenter(new DefaultIndenter("  ", "\n"))
      .withArrayIndenter(new DefaultIndenter("  ", "\n")));

  private VectorsFormat() {
  }

  /** The base name of shard {@code index}: {@code shard-00042}. */
  public static String shardName(int index) {
    return String.format(Locale.ROOT, "shard-%05d", index);
  }

  static String vectorsFile(int index) {
    return shardName(index) + VECTORS_SUFFIX;
  }

  static String idsFile(int index) {
    return shardName(index) + IDS_SUFFIX;
  }

  static String doneFile(int index) {
    return shardName(index) + DONE_SUFFIX;
  }

  /** Bytes of one row. */
  static long rowBytes(int dimension) {
    return (long) dimension * Float.BYTES;
  }

  /** The size of a {@code .vec} file holding {@code rows} rows. */
  static long vectorsBytes(int rows, int dimension) {
    return HEADER_BYTES + rows * rowBytes(dimension);
  }

  /** The number of shards of an artifact of {@code count} rows. */
  static int shardCount(int count, int shardSize) {
    return (int) ((count + (long) shardSize - 1) / shardSize);
  }

  /** Rows in shard {@code index}. */
  static int shardRows(int index, int count, int shardSize) {
    return (int) Math.min(shardSize, count - (long) index * shardSize);
  }

  /** The deterministic text of a JSON file of this format: pretty-printed, {@code \n} line ends, final newline. */
  static String json(JsonNode node) {
    try {
      return JSON.writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot serialize " + node, e);
    }
  }
}
