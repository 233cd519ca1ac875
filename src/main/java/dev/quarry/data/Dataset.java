package dev.quarry.data;

import dev.quarry.io.Checksums;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A retrieval dataset: a corpus, and per split the queries, their relevance judgments and (for QA data) answers.
 * Open one with {@link Datasets#open}. Reading the corpus streams it from disk on every call.
 */
public interface Dataset {
  /** The folder (or file) the dataset was opened from. */
  Path root();

  DatasetFormat format();

  /** Streams every passage of the corpus, in file order. */
  void forEachPassage(Consumer<Passage> sink);

  /** The files the corpus is read from, for checksums and manifests. */
  List<Path> corpusFiles();

  /** The split names this dataset has (for example {@code train}, {@code test}). */
  List<String> splits();

  /** The queries of a split: those that have judgments in it, in the order of the queries file. */
  List<Query> queries(String split);

  /** The judgments of a split. */
  Qrels qrels(String split);

  /** The answer strings of each query of a split, for QA data; empty where the dataset has none. */
  default Optional<Map<String, List<String>>> answers(String split) {
    return Optional.empty();
  }

  /** SHA-256 over the corpus files' own SHA-256s, in order: changes whenever any corpus byte does. */
  default String corpusChecksum() {
    return Checksums.sha256(corpusFiles().stream().map(Checksums::sha256).collect(Collectors.joining("\n")));
  }

  /**
   * Fails, before any work, when there is nothing to do: an empty corpus, or a split none of whose queries has a
   * judgment; the message names the dataset and the split.
   */
  default void requireWork(String split) {
    requireSplit(split);
    if (queries(split).isEmpty()) {
      throw new IllegalArgumentException("dataset " + root() + ": split \"" + split + "\" has no judged queries (no "
          + "query of the queries file has a judgment in that split's qrels); there is nothing to retrieve");
    }
    if (!hasPassages()) {
      throw new IllegalArgumentException("dataset " + root() + ": the corpus " + corpusFiles()
          + " holds no passage");
    }
  }

  /** Whether the corpus holds at least one passage (reads no further than the first). */
  default boolean hasPassages() {
    final class Found extends RuntimeException {
      Found() {
        super(null, null, false, false);
      }
    }
    try {
      forEachPassage(p -> {
        throw new Found();
      });
      return false;
    } catch (Found f) {
      return true;
    }
  }

  /** Fails with a message listing the splits when {@code split} is not one of them. */
  default void requireSplit(String split) {
    if (!splits().contains(split)) {
      throw new IllegalArgumentException("dataset " + root() + " has no split \"" + split + "\"; its splits are "
          + splits());
    }
  }
}
