package dev.quarry.vectors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.stream.Stream;

/**
 * The folder a {@link VectorWriter} owns while it runs: its lock, and the housekeeping of its files. It only ever
 * deletes files named by {@link VectorsFormat}, and refuses a folder holding anything else.
 */
final class WriterFolder implements AutoCloseable {
  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private WriterFolder(Path dir, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** Creates {@code dir} if needed, checks that it holds only this format's files, and locks it. */
  static WriterFolder lock(Path dir) {
    try {
      Files.createDirectories(dir);
      checkOwnFiles(dir);
      Path lockFile = dir.resolve(VectorsFormat.LOCK);
      FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
      if (lock == null) {
        channel.close();
        throw new IllegalStateException("another writer is writing vectors to " + dir + " (it holds " + lockFile + ")");
      }
      return new WriterFolder(dir, channel, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + dir + " for writing vectors", e);
    }
  }

  private static void checkOwnFiles(Path dir) throws IOException {
    for (String name : names(dir)) {
      boolean own = name.equals(VectorsFormat.MANIFEST) || name.equals(VectorsFormat.PROGRESS)
          || name.equals(VectorsFormat.LOCK) || VectorsFormat.SHARD_FILE.matcher(name).matches()
          || VectorsFormat.TEMP_FILE.matcher(name).matches();
      if (!own || Files.isDirectory(dir.resolve(name))) {
        throw new IllegalArgumentException(dir + " is not a vectors folder: it holds \"" + name
            + "\"; give a new or empty folder");
      }
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  Path resolve(String name) {
    return dir.resolve(name);
  }

  Path dir() {
    return dir;
  }

  /** Deletes every shard file of shard {@code firstShard} and later, and every temporary file. */
  void deleteShardsFrom(int firstShard) {
    try {
      for (String name : names(dir)) {
        Matcher shard = VectorsFormat.SHARD_FILE.matcher(name);
        boolean late = shard.matches()
            && (shard.group(1).length() > 10 || Long.parseLong(shard.group(1)) >= firstShard);
        if (late || VectorsFormat.TEMP_FILE.matcher(name).matches()) {
          Files.deleteIfExists(dir.resolve(name));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean up " + dir, e);
    }
    sync();
  }

  /** Deletes what only a running writer needs: progress files, {@code .done} files and temporary files. */
  void deleteProgressFiles() {
    try {
      for (String name : names(dir)) {
        boolean done = name.endsWith(VectorsFormat.DONE_SUFFIX) && VectorsFormat.SHARD_FILE.matcher(name).matches();
        if (done || name.equals(VectorsFormat.PROGRESS) || VectorsFormat.TEMP_FILE.matcher(name).matches()) {
          Files.deleteIfExists(dir.resolve(name));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean up " + dir, e);
    }
    sync();
  }

  /**
   * Makes the renames and deletions in the folder durable (a power cut, not only a killed process). Best effort:
   * some platforms cannot open a folder for syncing, and renames stay atomic there anyway.
   */
  void sync() {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // not supported here (Windows); nothing more can be done
    }
  }

  /** Releases the lock; with {@code deleteLockFile}, deletes the lock file first (the writer finished). */
  void release(boolean deleteLockFile) {
    try {
      if (deleteLockFile) {
        Files.deleteIfExists(dir.resolve(VectorsFormat.LOCK));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir.resolve(VectorsFormat.LOCK), e);
    } finally {
      close();
    }
  }

  @Override
  public void close() {
    try {
      if (lock.isValid()) {
        lock.release();
      }
      lockChannel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release the lock on " + dir, e);
    }
  }
}
