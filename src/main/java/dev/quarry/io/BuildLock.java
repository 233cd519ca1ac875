package dev.quarry.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on building one cached target, held across processes and across threads of this one, so that
 * concurrent builders of the same target build it once: the first builds and publishes, the others wait, then find
 * it built. The lock is the file {@code <target>.lock} beside the target (an OS file lock, so a killed holder
 * releases it); the file itself stays, since deleting a lock file while another process waits on it would let two
 * builders in. Waiting is unbounded, as for any build lock: a live holder is building.
 */
public final class BuildLock implements AutoCloseable {
  /** File locks belong to the JVM, not the thread: threads of one process queue here first. */
  private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  private final ReentrantLock threadLock;
  private final FileChannel channel;
  private final FileLock fileLock;

  private BuildLock(ReentrantLock threadLock, FileChannel channel, FileLock fileLock) {
    this.threadLock = threadLock;
    this.channel = channel;
    this.fileLock = fileLock;
  }

  /** The lock file of {@code target}: {@code <target>.lock} beside it. */
  public static Path lockFile(Path target) {
    Path absolute = target.toAbsolutePath();
    return absolute.resolveSibling(absolute.getFileName() + ".lock");
  }

  /** Blocks until this thread holds the build lock of {@code target} (creating its parent folder if needed). */
  public static BuildLock acquire(Path target) {
    Path file = lockFile(target);
    ReentrantLock threadLock = IN_PROCESS.computeIfAbsent(file, f -> new ReentrantLock());
    threadLock.lock();
    FileChannel channel = null;
    try {
      Files.createDirectories(file.getParent());
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      return new BuildLock(threadLock, channel, channel.lock());
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      threadLock.unlock();
      if (e instanceof IOException io) {
        throw new UncheckedIOException("cannot lock " + file, io);
      }
      throw (RuntimeException) e;
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // the lock (if any) goes with the channel
      }
    }
  }

  @Override
  public void close() {
    try {
      fileLock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    } finally {
      closeQuietly(channel);
      threadLock.unlock();
    }
  }
}
