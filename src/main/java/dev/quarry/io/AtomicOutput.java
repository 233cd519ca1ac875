package dev.quarry.io;

import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that readers only ever see the old content or the complete new content: bytes go to a
 * temporary file beside the target, which {@link #commit()} flushes to disk and renames into place. Closing without
 * committing (an exception, a failed job) deletes the temporary file and leaves the target as it was.
 *
 * <pre>{@code
 * try (AtomicOutput out = AtomicOutput.create(path)) {
 *   out.writer().write(...);
 *   out.commit();
 * }
 * }</pre>
 */
public final class AtomicOutput implements AutoCloseable {
  private final Path target;
  private final Path temp;
  private final OutputStream stream;
  private Writer writer;
  private boolean committed;
  private boolean closed;

  /** The operations of a write that can fail, in the order they happen. */
  public enum Step { WRITE, SYNC, RENAME }

  /** A hook consulted before each {@link Step}; tests make it throw to inject faults (see {@code AtomicFaultsTest}). */
  @FunctionalInterface
  interface Faults {
    Faults NONE = (step, target) -> { };

    void before(Step step, Path target) throws IOException;
  }

  static volatile Faults faults = Faults.NONE;

  private AtomicOutput(Path target, Path temp, OutputStream stream) {
    this.target = target;
    this.temp = temp;
    this.stream = stream;
  }

  /** Starts writing {@code target}, creating its parent folders. */
  public static AtomicOutput create(Path target) {
    try {
      Path absolute = target.toAbsolutePath();
      Path parent = absolute.getParent();
      Files.createDirectories(parent);
      Path temp = Leftovers.claimFile(absolute);   // also deletes what killed writers of this target left
      OutputStream file = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return new AtomicOutput(absolute, temp, new FilterOutputStream(file) {
        @Override
        public void write(int b) throws IOException {
          faults.before(Step.WRITE, absolute);
          out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          faults.before(Step.WRITE, absolute);
          out.write(b, off, len);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  /** The raw byte stream (do not mix with {@link #writer()} unless the writer is flushed first). */
  public OutputStream stream() {
    return stream;
  }

  /** A buffered UTF-8 writer over the stream. */
  public Writer writer() {
    if (writer == null) {
      writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
    }
    return writer;
  }

  public Path target() {
    return target;
  }

  /** Flushes, syncs and renames the temporary file over the target. */
  public void commit() {
    try {
      if (writer != null) {
        writer.flush();
      }
      stream.close();
      closed = true;
      faults.before(Step.SYNC, target);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      faults.before(Step.RENAME, target);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      committed = true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  @Override
  public void close() {
    if (committed) {
      return;
    }
    try {
      if (!closed) {
        stream.close();
      }
    } catch (IOException ignored) {
      // the write failed already; the temporary file is removed below
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // nothing more can be done; the target is untouched either way
      }
    }
  }

  /** Writes {@code content} to {@code target} atomically. */
  public static void writeString(Path target, String content) {
    try (AtomicOutput out = create(target)) {
      out.writer().write(content);
      out.commit();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }
}
