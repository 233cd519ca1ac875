package dev.quarry.rocketqa;

import dev.quarry.data.BeirFormat;
import dev.quarry.data.Query;
import dev.quarry.io.TextLines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A user's unlabeled queries (a query log without judgments), for augmentation and distillation: a file of
 * {@code .jsonl} BEIR query objects ({@code {"_id": ..., "text": ...}}, id {@code unlabeled-<_id>}), or any other
 * file with one query per line (UTF-8, {@code .gz} read transparently; blank lines skipped; the query on line N gets
 * id {@code unlabeled-N}). The prefix keeps them apart from the dataset's own query ids, which a trainer carves its
 * dev split from. A seeded sample of {@code count} of them is taken, in file order. A file with no query is an
 * error naming it.
 */
public final class UnlabeledQueries {
  /** The prefix of the id of a query read from a plain-text file. */
  public static final String ID_PREFIX = "unlabeled-";

  private UnlabeledQueries() {
  }

  public static List<Query> read(Path file, int count, long seed) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative; count=" + count);
    }
    String name = file.getFileName().toString();
    List<Query> all = new ArrayList<>();
    if (name.endsWith(".jsonl") || name.endsWith(".jsonl.gz")) {
      BeirFormat.readQueries(file).forEach(q -> all.add(new Query(ID_PREFIX + q.id(), q.text())));
    } else {
      try (TextLines lines = TextLines.open(file)) {
        for (String line; (line = lines.next()) != null; ) {
          if (!line.isBlank()) {
            all.add(new Query(ID_PREFIX + lines.lineNumber(), line.strip()));
          }
        }
      }
    }
    if (all.isEmpty()) {
      throw new IllegalArgumentException(file + " holds no query");
    }
    return QuerySample.of(all, count, seed);
  }
}
