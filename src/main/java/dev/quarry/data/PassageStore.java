package dev.quarry.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.BuildLock;
import dev.quarry.io.Checksums;
import dev.quarry.io.Folders;
import dev.quarry.io.JsonLines;
import dev.quarry.io.Leftovers;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A corpus's passages on disk, read by position or by id without holding the corpus on the heap: what a trainer or a
 * miner needs of a corpus larger than memory. Built once per corpus (by its checksum) into the cache, under a
 * {@link BuildLock} so concurrent builders build it once, and reused while the corpus is unchanged.
 *
 * <p>Three files: {@code passages.bin} holds the passages in corpus order, each as its id, title and text (a 4-byte
 * big-endian length, then UTF-8 bytes); {@code offsets.bin} the start of every record and the end of the last (8-byte
 * big-endian); {@code ids.bin} one 8-byte key per passage, sorted: the top bits a 64-bit hash of the id, the low bits
 * the passage's position. A lookup hashes the id, binary-searches the keys with that hash and confirms each candidate
 * by reading its id, so hash collisions cost a read, never a wrong answer. Reads are positional file reads (the OS
 * caches the pages), so a passage costs one read and an id about log2(n) more; nothing grows with the corpus but the
 * files. Building holds the keys (8 bytes a passage) on the heap to sort them, no text.
 */
public final class PassageStore implements AutoCloseable {
  static final String FORMAT = "quarry-passages/1";
  private static final String PASSAGES = "passages.bin";
  private static final String OFFSETS = "offsets.bin";
  private static final String IDS = "ids.bin";
  private static final String MANIFEST = "manifest.json";

  private final Path dir;
  private final int size;
  private final int positionBits;
  private final FileChannel passages;
  private final FileChannel offsets;
  private final FileChannel ids;

  private PassageStore(Path dir, int size, FileChannel passages, FileChannel offsets, FileChannel ids) {
    this.dir = dir;
    this.size = size;
    this.positionBits = positionBits(size);
    this.passages = passages;
    this.offsets = offsets;
    this.ids = ids;
  }

  /**
   * Opens the store of {@code dataset}'s corpus under {@code cacheRoot} ({@code <cache>/passages/<key>}), building it
   * first when it is missing or was built from another corpus.
   */
  public static PassageStore openOrBuild(Dataset dataset, Path cacheRoot) {
    String checksum = dataset.corpusChecksum();
    Path dir = cacheRoot.resolve("passages").resolve(Checksums.sha256(FORMAT + "\n" + checksum).substring(0, 16));
    if (!matches(dir, checksum)) {
      try (BuildLock lock = BuildLock.acquire(dir)) {
        if (!matches(dir, checksum)) {   // else another process built it while this one waited
          build(dataset, checksum, dir);
        }
      }
    }
    return open(dir);
  }

  private static boolean matches(Path dir, String checksum) {
    Path manifest = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(manifest)) {
      return false;
    }
    try {
      JsonNode m = JsonLines.MAPPER.readTree(manifest.toFile());
      return FORMAT.equals(m.path("format").asText()) && checksum.equals(m.path("corpus_sha256").asText())
          && complete(m.path("passages").asInt(-1), size(dir.resolve(OFFSETS)), size(dir.resolve(IDS)));
    } catch (IOException e) {
      return false;   // unreadable: rebuilt under the lock
    }
  }

  private static long size(Path file) throws IOException {
    return Files.isRegularFile(file) ? Files.size(file) : -1;
  }

  /** Writes the store beside {@code dir} and renames it into place (the caller holds the build lock). */
  static void build(Dataset dataset, String checksum, Path dir) {
    Path temp = Leftovers.claim(dir, "building");
    try {
      Folders.deleteTree(temp);
      Files.createDirectories(temp);
      Records records = new Records();
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
          Files.newOutputStream(temp.resolve(PASSAGES)), 1 << 16))) {
        dataset.forEachPassage(p -> records.add(out, p));
      }
      int n = records.count;
      int bits = positionBits(n);
      long[] keys = new long[n];
      for (int i = 0; i < n; i++) {
        keys[i] = (records.hashes[i] & ~((1L << bits) - 1)) | i;
      }
      Arrays.sort(keys);   // signed order; find() searches with the same comparison
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
          Files.newOutputStream(temp.resolve(OFFSETS)), 1 << 16))) {
        for (int i = 0; i <= n; i++) {
          out.writeLong(records.starts[i]);
        }
      }
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
          Files.newOutputStream(temp.resolve(IDS)), 1 << 16))) {
        for (long key : keys) {
          out.writeLong(key);
        }
      }
      ObjectNode manifest = JsonLines.MAPPER.createObjectNode();
      manifest.put("format", FORMAT);
      manifest.put("corpus_sha256", checksum);
      manifest.put("passages", n);
      manifest.put("dataset", dataset.root().toAbsolutePath().toString());
      manifest.put("created", Instant.now().toString());
      Files.writeString(temp.resolve(MANIFEST), manifest.toPrettyString() + "\n");   // last: the store is complete
      if (Files.exists(dir)) {
        Folders.deleteTree(dir);   // unfinished or another corpus's; no process has it open under the lock
      }
      Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the passage store " + dir, e);
    }
  }

  /** What a build keeps per passage while it writes: where its record starts and the hash of its id. */
  private static final class Records {
    long[] starts = new long[1024];
    long[] hashes = new long[1024];
    int count;
    long written;

    void add(DataOutputStream out, Passage p) {
      if (count == Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("a passage store holds at most " + (Integer.MAX_VALUE - 8) + " passages");
      }
      if (count + 1 >= starts.length) {
        int grown = (int) Math.min(Integer.MAX_VALUE - 8, 2L * starts.length);
        starts = Arrays.copyOf(starts, grown);
        hashes = Arrays.copyOf(hashes, grown);
      }
      starts[count] = written;
      hashes[count] = hash(p.id());
      try {
        for (String s : new String[] {p.id(), p.title(), p.text()}) {
          byte[] b = s.getBytes(StandardCharsets.UTF_8);
          out.writeInt(b.length);
          out.write(b);
          written += 4 + b.length;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      count++;
      starts[count] = written;
    }
  }

  static int positionBits(int size) {
    return Math.max(1, 32 - Integer.numberOfLeadingZeros(Math.max(1, size - 1)));
  }

  /** A 64-bit hash of an id's UTF-8 bytes: FNV-1a, then SplitMix64's finalizer to spread the bits. */
  static long hash(String id) {
    long h = 0xcbf29ce484222325L;
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }

  /** Opens a store folder. */
  public static PassageStore open(Path dir) {
    try {
      JsonNode m = JsonLines.MAPPER.readTree(dir.resolve(MANIFEST).toFile());
      if (!FORMAT.equals(m.path("format").asText())) {
        throw new IllegalArgumentException(dir + " is not a passage store (format " + m.path("format") + ")");
      }
      int size = m.path("passages").asInt(-1);
      FileChannel passages = FileChannel.open(dir.resolve(PASSAGES));
      FileChannel offsets = FileChannel.open(dir.resolve(OFFSETS));
      FileChannel ids = FileChannel.open(dir.resolve(IDS));
      long offsetBytes = offsets.size();
      long keyBytes = ids.size();
      if (!complete(size, offsetBytes, keyBytes)) {
        passages.close();
        offsets.close();
        ids.close();
        throw new IllegalArgumentException("passage store " + dir + " is damaged: " + size + " passages but "
            + offsetBytes + " offset bytes and " + keyBytes + " key bytes; delete it to rebuild");
      }
      return new PassageStore(dir, size, passages, offsets, ids);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the passage store " + dir, e);
    }
  }

  private static boolean complete(int size, long offsetBytes, long keyBytes) {
    return size >= 0 && offsetBytes == 8L * (size + 1) && keyBytes == 8L * size;
  }

  /** The number of passages. */
  public int size() {
    return size;
  }

  public Path dir() {
    return dir;
  }

  /** The passage at {@code position} in corpus order. */
  public Passage get(int position) {
    if (position < 0 || position >= size) {
      throw new IndexOutOfBoundsException("passage " + position + " of " + size);
    }
    ByteBuffer bounds = read(offsets, 8L * position, 16);   // this record's start and the next one's
    long start = bounds.getLong();
    long end = bounds.getLong();
    ByteBuffer record = read(passages, start, Math.toIntExact(end - start));
    return new Passage(string(record), string(record), string(record));
  }

  /** The passage with this id, or empty when the corpus has none. */
  public Optional<Passage> find(String id) {
    long h = hash(id) & ~mask();
    int lo = 0;
    int hi = size;
    while (lo < hi) {   // the first key whose hash part is >= h
      int mid = (lo + hi) >>> 1;
      if ((readLong(ids, 8L * mid) & ~mask()) < h) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    for (int i = lo; i < size; i++) {
      long key = readLong(ids, 8L * i);
      if ((key & ~mask()) != h) {
        break;
      }
      Passage p = get((int) (key & mask()));
      if (p.id().equals(id)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The passages with these ids that the corpus has. */
  public Map<String, Passage> find(Collection<String> ids) {
    Map<String, Passage> found = new HashMap<>();
    for (String id : ids) {
      find(id).ifPresent(p -> found.put(id, p));
    }
    return found;
  }

  /** Every passage in corpus order, read sequentially. */
  public void forEach(Consumer<Passage> sink) {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(
        Files.newInputStream(dir.resolve(PASSAGES)), 1 << 16))) {
      for (int i = 0; i < size; i++) {
        sink.accept(new Passage(string(in), string(in), string(in)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve(PASSAGES), e);
    }
  }

  private long mask() {
    return (1L << positionBits) - 1;
  }

  private static String string(ByteBuffer b) {
    byte[] bytes = new byte[b.getInt()];
    b.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static String string(DataInputStream in) throws IOException {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static long readLong(FileChannel channel, long position) {
    return read(channel, position, 8).getLong();
  }

  private static ByteBuffer read(FileChannel channel, long position, int length) {
    ByteBuffer b = ByteBuffer.allocate(length);
    try {
      while (b.hasRemaining()) {
        if (channel.read(b, position + b.position()) < 0) {
          throw new EOFException("passage store ends at " + (position + b.position()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return b.flip();
  }

  @Override
  public void close() {
    try {
      passages.close();
      offsets.close();
      ids.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
