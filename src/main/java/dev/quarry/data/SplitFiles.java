package dev.quarry.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Finds per-split files in a folder by a file-name pattern whose first group is the split name. */
final class SplitFiles {
  private SplitFiles() {
  }

  /** Split names of the files in {@code dir} matching {@code pattern}, sorted. */
  static List<String> splits(Path dir, Pattern pattern) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> pattern.matcher(p.getFileName().toString()))
          .filter(Matcher::matches).map(m -> m.group(1)).distinct().sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** The first of {@code names} that exists in {@code dir}, plain or gzipped. */
  static Optional<Path> first(Path dir, String... names) {
    for (String name : names) {
      for (String candidate : new String[] {name, name + ".gz"}) {
        Path p = dir.resolve(candidate);
        if (Files.exists(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }
}
