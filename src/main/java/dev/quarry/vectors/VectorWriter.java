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
    List<ShardEntry> kept = new ArrayList<>();
    int shardCount = VectorsFormat.shardCount(identity.count(), identity.shardSize());
    for (int k = 0; k < shardCount; k++) {
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
      checkRow(rows[i], next + i);
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

  private void checkRow(float[] row, int index) {
    if (row == null) {
      throw new IllegalArgumentException("row " + index + " (id \"" + ids.get(index) + "\") is null");
    }
    if (row.length != identity.dimension()) {
      throw new IllegalArgumentException("row " + index + " (id \"" + ids.get(index) + "\") has " + row.length
          + " values; the dimension is " + identity.dimension());
    }
    double squares = 0;
    for (int j = 0; j < row.length; j++) {
      if (!Float.isFinite(row[j])) {
        throw new IllegalArgumentException("row " + index + " (id \"" + ids.get(index) + "\") has " + row[j]
            + " at position " + j);
      }
      squares += (double) row[j] * row[j];
    }
    double norm = Math.sqrt(squares);
    if (identity.normalized() && Math.abs(norm - 1) > VectorsFormat.NORM_TOLERANCE) {
      throw new IllegalArgumentException("row " + index + " (id \"" + ids.get(index) + "\") has L2 norm " + norm
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
