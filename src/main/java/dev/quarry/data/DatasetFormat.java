package dev.quarry.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** The dataset layouts Quarry reads, and how each is recognised in a folder. */
public enum DatasetFormat {
  /** {@code corpus.jsonl}, {@code queries.jsonl}, {@code qrels/<split>.tsv}. */
  BEIR,
  /** {@code collection.tsv}, {@code queries.<split>.tsv}, {@code qrels.<split>.tsv}. */
  MSMARCO,
  /** A passages TSV ({@code psgs_w100.tsv} or {@code passages.tsv}) and {@code <split>.json} DPR examples. */
  DPR,
  /** SQuAD v1.1 JSON files ({@code <split>-v1.1.json} or {@code <split>.json}), paragraphs as the corpus. */
  SQUAD;

  /** Recognises the layout of {@code root}, or empty if it is none of these. */
  public static Optional<DatasetFormat> detect(Path root) {
    if (Files.isRegularFile(root)) {
      return root.getFileName().toString().endsWith(".json") ? Optional.of(SQUAD) : Optional.empty();
    }
    if (Files.exists(root.resolve("corpus.jsonl")) || Files.exists(root.resolve("corpus.jsonl.gz"))) {
      return Optional.of(BEIR);
    }
    if (Files.exists(root.resolve("collection.tsv")) || Files.exists(root.resolve("collection.tsv.gz"))) {
      return Optional.of(MSMARCO);
    }
    if (DprDataset.passagesFile(root).isPresent()) {
      return Optional.of(DPR);
    }
    try (Stream<Path> files = Files.list(root)) {
      if (files.anyMatch(p -> p.getFileName().toString().endsWith(".json"))) {
        return Optional.of(SQUAD);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
    return Optional.empty();
  }
}
