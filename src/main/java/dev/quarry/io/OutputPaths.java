package dev.quarry.io;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, made before any work, that an output can be written where the user asked: a file output is not an existing
 * folder, a folder output is not an existing file, and neither lies under a path that is a file. The messages name the
 * option and the path.
 */
public final class OutputPaths {
  private OutputPaths() {
  }

  /** An output file: absent or a regular file, under folders (or nothing yet). */
  public static Path file(Path path, String option) {
    if (path != null) {
      if (Files.isDirectory(path)) {
        throw new IllegalArgumentException(option + " " + path + " is a folder; give a file name");
      }
      parents(path, option);
    }
    return path;
  }

  /** An output folder: absent or a folder, under folders (or nothing yet). */
  public static Path folder(Path path, String option) {
    if (path != null) {
      if (Files.exists(path) && !Files.isDirectory(path)) {
        throw new IllegalArgumentException(option + " " + path + " is a file; give a folder");
      }
      parents(path, option);
    }
    return path;
  }

  private static void parents(Path path, String option) {
    for (Path p = path.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
      if (Files.exists(p) && !Files.isDirectory(p)) {
        throw new IllegalArgumentException(option + " " + path + " lies under " + p + ", which is a file");
      }
    }
  }
}
