package dev.quarry.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Work-in-progress files and folders named after the process that writes them ({@code <target>.<kind>-<pid>}), and
 * the cleanup of those that a killed process left behind. Every writer that builds beside its target and renames
 * into place gets its scratch name here; the next writer of the same target deletes the scratch of processes that
 * are no longer alive, and never touches one whose process is (a concurrent writer keeps its work).
 */
public final class Leftovers {
  private static final AtomicLong COUNTER = new AtomicLong();

  private Leftovers() {
  }

  /**
   * The scratch path for writing {@code target}: {@code <target>.<kind>-<pid>} beside it, after removing the
   * same-kind scratch of dead processes.
   */
  public static Path claim(Path target, String kind) {
    Path absolute = target.toAbsolutePath();
    String prefix = absolute.getFileName() + "." + kind + "-";
    sweep(absolute.getParent(), prefix);
    return absolute.resolveSibling(prefix + ProcessHandle.current().pid());
  }

  /**
   * A scratch file name for one write of {@code target} that may run alongside others of the same process:
   * {@code .<name>.tmp-<pid>-<n>} beside it, after removing the ones of dead processes.
   */
  public static Path claimFile(Path target) {
    Path absolute = target.toAbsolutePath();
    String prefix = "." + absolute.getFileName() + ".tmp-";
    sweep(absolute.getParent(), prefix);
    return absolute.resolveSibling(prefix + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet());
  }

  /**
   * Deletes every entry of {@code dir} named {@code <prefix><pid>} or {@code <prefix><pid>-<n>} whose process is
   * not alive. A missing folder has nothing to sweep.
   */
  public static void sweep(Path dir, String prefix) {
    if (dir == null || !Files.isDirectory(dir)) {
      return;
    }
    Pattern pattern = Pattern.compile(Pattern.quote(prefix) + "(\\d+)(-\\d+)?");
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        Matcher m = pattern.matcher(entry.getFileName().toString());
        if (m.matches() && !alive(Long.parseLong(m.group(1)))) {
          Folders.deleteTree(entry);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean up leftovers in " + dir, e);
    }
  }

  /** Whether a process with this id is running (this one included). */
  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
