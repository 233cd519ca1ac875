package dev.quarry.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.Checksums;
import dev.quarry.io.DataFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a vectors artifact ({@link VectorsFormat}) so that a job killed at any moment, even by {@code kill -9},
 * and run again resumes where it stopped and ends with the same bytes as an uninterrupted run.
 *
 * <pre>{@code
 * try (VectorWriter writer = VectorWriter.open(dir, ids, config)) {
 *   for (int row = writer.resumeFrom(); row < ids.size(); row += batch) {
 *     writer.append(encoder.encode(texts.subList(row, Math.min(row + batch, ids.size()))));
 *   }
 *   writer.finish();
 * }
 * }</pre>
 *
 * <p>How it stays resumable: {@link #open} records what is being written in {@code progress.json} (or, on a rerun,
 * checks that it matches). Rows stream into temporary files of the current shard. When a shard is full, both its
 * files are synced and renamed into place, then its entry (sizes and SHA-256) is written atomically to its
 * {@code .done} file. On a rerun, {@code open} keeps the leading shards whose files still match their {@code .done}
 * entries, deletes everything after them (a partial shard, temporary files), and {@link #resumeFrom()} tells the
 * caller the first row to encode again. {@link #finish()} writes {@code manifest.json} last; the artifact is
 * complete iff that file exists, and opening a writer on a complete artifact with the same input is a no-op.
 *
 * <p>A writer holds an operating-system lock on its folder until {@link #finish()} or {@link #close()}; a second
 * writer on the same folder fails. Not thread-safe.
 */
public final class VectorWriter implements AutoCloseable {
  private final WriterFolder folder;
  private final List<String> ids;
  private final VectorsManifest identity;
  private final List<ShardEntry> shards;
  private final int resumeFrom;
  private int next;
  private ShardOutput current;
  private boolean complete;
  private boolean closed;
  private boolean broken;

  private VectorWriter(WriterFolder folder, List<String> ids, VectorsManifest identity, List<ShardEntry> shards,
      boolean complete) {
    this.folder = folder;
    this.ids = ids;
    this.identity = identity;
    this.shards = new ArrayList<>(shards);
    this.complete = complete;
    this.resumeFrom = complete ? ids.size() : (int) Math.min(ids.size(), (long) shards.size() * identity.shardSize());
    this.next = resumeFrom;
  }

  /**
   * Opens {@code dir} (created if missing) to write one vector per id of {@code ids}, in that order, or to resume
   * an earlier run that was given the same ids and config.
   *
   * @throws IllegalArgumentException if an id is empty, repeated or holds a line break; if {@code dir} holds
   *     files of another kind; or if an earlier run in {@code dir} was given other ids or another config
   * @throws IllegalStateException if another writer holds the folder
   * @throws DataFormatException if {@code dir} holds a complete artifact that is corrupt
   */
  public static VectorWriter open(Path dir, List<String> ids, VectorWriterConfig config) {
    if (dir == null) {
      throw new IllegalArgumentException("dir must not be null");
    }
    if (config == null) {
      throw new IllegalArgumentException("config must not be null");
    }
    String idsSha256 = IdList.checkAndHash(ids);
    List<String> copy = List.copyOf(ids);
    VectorsManifest identity = new VectorsManifest(config.dimension(), copy.size(), config.normalized(),
        config.shardSize(), idsSha256, config.producer(), List.of());
    WriterFolder folder = WriterFolder.lock(dir.toAbsolutePath());
    try {
      return resume(folder, copy, identity);
    } catch (RuntimeException e) {
      folder.close();
      throw e;
    }
  }

  private static VectorWriter resume(WriterFolder folder, List<String> ids, VectorsManifest identity) {
    Path manifest = folder.resolve(VectorsFormat.MANIFEST);
    if (Files.exists(manifest)) {
      VectorsManifest found = VectorsManifest.readManifest(manifest);
      checkSameJob(folder.dir(), "finished", found, identity);
      VectorReader.open(folder.dir()).close();   // opening verifies every shard against the manifest
      folder.deleteProgressFiles();
      return new VectorWriter(folder, ids, identity, found.shards(), true);
    }
    Path progress = folder.resolve(VectorsFormat.PROGRESS);
    List<ShardEntry> kept = List.of();
    if (Files.exists(progress)) {
      checkSameJob(folder.dir(), "started", VectorsManifest.readProgress(progress), identity);
      kept = completedShards(folder, ids, identity);
    }
    folder.deleteShardsFrom(kept.size());
    if (!Files.exists(progress)) {
      AtomicOutput.writeString(progress, VectorsFormat.json(identity.identity()));
      folder.sync();
    }
    return new VectorWriter(folder, ids, identity, kept, false);
  }

  /** Fails unless an earlier run in {@code dir} was given the same ids and config as this one. */
  private static void checkSameJob(Path dir, String state, VectorsManifest earlier, VectorsManifest now) {
    if (earlier.count() != now.count() || !earlier.idsSha256().equals(now.idsSha256())) {
      throw new IllegalArgumentException("the vectors in " + dir + " were " + state + " with other ids: "
          + earlier.count() + " ids with SHA-256 " + earlier.idsSha256() + " then, " + now.count()
          + " ids with SHA-256 " + now.idsSha256() + " now; give the same ids in the same order, or a new folder");
    }
    ObjectNode was = earlier.identity();
    ObjectNode is = now.identity();
    for (Map.Entry<String, JsonNode> field : is.properties()) {
      JsonNode old = was.get(field.getKey());
      if (!field.getValue().equals(old)) {
        throw new IllegalArgumentException("the vectors in " + dir + " were " + state + " with another "
            + field.getKey() + ": " + old + " then, " + field.getValue() + " now; give the same settings, or a new"
            + " folder");
      }
    }
  }

  /** The leading shards whose files still match their {@code .done} entries and the ids they must hold. */
  private static List<ShardEntry> completedShards(WriterFolder folder, List<String> ids, VectorsManifest identity) {
    return completedShards(folder, ids, identity, List.of());
  }

  /** {@code known} followed by the shards after them that are complete on disk, up to the first one that is not. */
  private static List<ShardEntry> completedShards(WriterFolder folder, List<String> ids, VectorsManifest identity,
      List<ShardEntry> known) {
    List<ShardEntry> kept = new ArrayList<>(known);
    int shardCount = VectorsFormat.shardCount(identity.count(), identity.shardSize());
    for (int k = known.size(); k < shardCount; k++) {
      Path done = folder.resolve(VectorsFormat.doneFile(k));
      if (!Files.exists(done)) {
        break;
      }
      try {
        ShardEntry entry = ShardEntry.fromJson(VectorsManifest.parse(done), k, identity.count(),
            identity.dimension(), identity.shardSize(), problem -> new DataFormatException(done, 0, problem));
        ShardFiles.checkVectors(folder.resolve(entry.vectors()), entry, identity.dimension(), true);
        Path idsFile = folder.resolve(entry.ids());
        ShardFiles.checkSize(idsFile, entry.idsBytes(), "as recorded in " + done.getFileName());
        ShardFiles.checkSha256(idsFile, Checksums.sha256(idsFile), entry.idsSha256());
        int first = (int) entry.firstRow();
        ShardFiles.checkSha256(idsFile, IdList.hash(ids, first, first + entry.rows()), entry.idsSha256());
        kept.add(entry);
      } catch (DataFormatException e) {
        break;   // damaged after it was completed: written again from its first row
      }
    }
    return kept;
  }

  /**
   * What a worker needs to write shards of this artifact ({@link #writeShard}): plain values, serializable, so a
   * distributed job ships them to its workers.
   */
  public record Layout(int dimension, boolean normalized, int shardSize, int count) implements java.io.Serializable {
    /** Rows {@code [first, end)} of shard {@code shard}. */
    public int firstRow(int shard) {
      return Math.multiplyExact(shard, shardSize);
    }

    public int endRow(int shard) {
      return firstRow(shard) + VectorsFormat.shardRows(shard, count, shardSize);
    }
  }

  public Layout layout() {
    return new Layout(identity.dimension(), identity.normalized(), identity.shardSize(), identity.count());
  }

  /** The shards not yet written, in order: those a distributed job hands out to {@link #writeShard}. */
  public List<Integer> pendingShards() {
    List<Integer> pending = new ArrayList<>();
    for (int k = shards.size(); k < VectorsFormat.shardCount(ids.size(), identity.shardSize()); k++) {
      pending.add(k);
    }
    return pending;
  }

  /**
   * Writes shard {@code shard} whole, as {@link #append} would have, into the folder of a writer open elsewhere (in
   * another thread, process or machine on a filesystem both see): the rows are checked as {@code append} checks
   * them, the shard's two files are written beside their place and renamed in, then its {@code .done} entry is
   * written. Writing a shard again (a retried task) leaves the same bytes. The writer takes the shards in with
   * {@link #adoptWrittenShards()}.
   *
   * @param ids the shard's ids, in row order
   * @param rows the shard's vectors, in row order
   */
  public static void writeShard(Path dir, Layout layout, int shard, List<String> ids, float[][] rows) {
    int first = layout.firstRow(shard);
    int count = layout.endRow(shard) - first;
    if (ids.size() != count || rows.length != count) {
      throw new IllegalArgumentException("shard " + shard + " holds rows " + first + ".." + (first + count - 1)
          + ": " + count + " rows, but " + ids.size() + " ids and " + rows.length + " vectors were given");
    }
    for (int i = 0; i < count; i++) {
      checkRow(rows[i], first + i, ids.get(i), layout.dimension(), layout.normalized());
    }
    try (ShardOutput out = ShardOutput.start(dir, shard, first, count, layout.dimension())) {
      for (int i = 0; i < count; i++) {
        out.write(rows[i], ids.get(i));
      }
      ShardEntry entry = out.commit();
      AtomicOutput.writeString(dir.resolve(VectorsFormat.doneFile(shard)), VectorsFormat.json(entry.toJson()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + VectorsFormat.shardName(shard) + " to " + dir, e);
    }
  }

  /** Whether shard {@code shard}'s {@code .done} entry is in {@code dir}: for watching other writers' progress. */
  public static boolean shardDone(Path dir, int shard) {
    return Files.exists(dir.resolve(VectorsFormat.doneFile(shard)));
  }

  /**
   * Takes in the shards {@link #writeShard} wrote into this writer's folder, each checked against its {@code .done}
   * entry and the ids this writer was given, as a resume checks them. Afterwards every row is written and
   * {@link #finish()} may follow.
   *
   * @throws IllegalStateException naming the first shard that is missing or does not match
   */
  public void adoptWrittenShards() {
    checkWritable();
    if (current != null || complete) {
      throw new IllegalStateException("the writer for " + folder.dir() + " is " + (complete ? "complete" : "appending"));
    }
    List<ShardEntry> all = completedShards(folder, ids, identity, shards);
    int expected = VectorsFormat.shardCount(ids.size(), identity.shardSize());
    if (all.size() < expected) {
      throw new IllegalStateException(VectorsFormat.shardName(all.size()) + " of " + folder.dir() + " is missing or"
          + " does not match its .done entry and ids; " + all.size() + " of " + expected + " shards are complete");
    }
    shards.clear();
    shards.addAll(all);
    next = ids.size();
  }

  /** The first row not yet durably written: {@link #append} must continue from here. */
  public int resumeFrom() {
    return resumeFrom;
  }

  /** Rows written so far, including those kept from an earlier run: the row the next {@link #append} starts at. */
  public int written() {
    return next;
  }

  /** Rows in the finished artifact: the number of ids. */
  public int count() {
    return ids.size();
  }

  /**
   * Appends the next rows, in id order, starting at row {@link #written()}. Each row must have {@link
   * VectorWriterConfig#dimension()} finite values, and unit L2 norm (within {@value VectorsFormat#NORM_TOLERANCE})
   * when the config says {@code normalized}. A batch with a bad row is rejected whole, before anything is written.
   */
  public void append(float[][] rows) {
    checkWritable();
    if (rows == null) {
      throw new IllegalArgumentException("rows must not be null");
    }
    if (rows.length > ids.size() - next) {
      throw new IllegalArgumentException("cannot append " + rows.length + " rows: " + next + " of " + ids.size()
          + " rows are written, " + (ids.size() - next) + " remain");
    }
    for (int i = 0; i < rows.length; i++) {
      checkRow(rows[i], next + i, ids.get(next + i), identity.dimension(), identity.normalized());
    }
    try {
      for (float[] row : rows) {
        if (current == null) {
          int shard = shards.size();
          long first = (long) shard * identity.shardSize();
          current = ShardOutput.start(folder.dir(), shard, first,
              VectorsFormat.shardRows(shard, ids.size(), identity.shardSize()), identity.dimension());
        }
        current.write(row, ids.get(next));
        next++;
        if (current.full()) {
          completeShard();
        }
      }
    } catch (IOException e) {
      broken = true;
      throw new UncheckedIOException("cannot write vectors to " + folder.dir(), e);
    } catch (RuntimeException e) {
      broken = true;
      throw e;
    }
  }

  private static void checkRow(float[] row, int index, String id, int dimension, boolean normalized) {
    if (row == null) {
      throw new IllegalArgumentException("row " + index + " (id \"" + id + "\") is null");
    }
    if (row.length != dimension) {
      throw new IllegalArgumentException("row " + index + " (id \"" + id + "\") has " + row.length
          + " values; the dimension is " + dimension);
    }
    double squares = 0;
    for (int j = 0; j < row.length; j++) {
      if (!Float.isFinite(row[j])) {
        throw new IllegalArgumentException("row " + index + " (id \"" + id + "\") has " + row[j]
            + " at position " + j);
      }
      squares += (double) row[j] * row[j];
    }
    double norm = Math.sqrt(squares);
    if (normalized && Math.abs(norm - 1) > VectorsFormat.NORM_TOLERANCE) {
      throw new IllegalArgumentException("row " + index + " (id \"" + id + "\") has L2 norm " + norm
          + ", but the vectors are declared normalized");
    }
  }

  private void completeShard() throws IOException {
    ShardEntry entry = current.commit();
    current = null;
    AtomicOutput.writeString(folder.resolve(VectorsFormat.doneFile(shards.size())),
        VectorsFormat.json(entry.toJson()));
    folder.sync();
    shards.add(entry);
  }

  /**
   * Writes {@code manifest.json}, which completes the artifact, removes the progress files and releases the folder.
   * Every row must have been appended. Does nothing more on an artifact that was already complete.
   */
  public void finish() {
    checkWritable();
    if (next < ids.size()) {
      throw new IllegalStateException("finish() needs all " + ids.size() + " rows, but " + next + " are written");
    }
    if (!complete) {
      VectorsManifest manifest = new VectorsManifest(identity.dimension(), identity.count(), identity.normalized(),
          identity.shardSize(), identity.idsSha256(), identity.producer(), shards);
      AtomicOutput.writeString(folder.resolve(VectorsFormat.MANIFEST), VectorsFormat.json(manifest.toJson()));
      folder.sync();
      complete = true;
      folder.deleteProgressFiles();
    }
    close();
  }

  private void checkWritable() {
    if (closed) {
      throw new IllegalStateException("the vector writer for " + folder.dir() + " is closed");
    }
    if (broken) {
      throw new IllegalStateException("an earlier write to " + folder.dir() + " failed; open a new writer to resume");
    }
  }

  /**
   * Releases the folder. Without {@link #finish()}, the shard in progress is discarded and the completed ones stay,
   * for a later writer to resume from.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (current != null) {
        current.close();
        current = null;
      }
    } finally {
      folder.release(complete);
    }
  }
}
