package dev.quarry.teacher;

import dev.quarry.bm25.Bm25Config;
import dev.quarry.bm25.Bm25Index;
import dev.quarry.bm25.Bm25Searcher;
import dev.quarry.data.Dataset;
import dev.quarry.data.Query;
import dev.quarry.util.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** BM25 over the corpus's cached flat index, with Anserini's parameters (k1 0.9, b 0.4), as {@code quarry bm25}. */
final class Bm25Member implements TeacherMember {
  static final String NAME = "bm25";

  private final Bm25Index index;
  private final Bm25Searcher searcher;

  Bm25Member(Dataset dataset, Path cacheRoot, Progress progress) {
    this.index = Bm25Index.openOrBuild(dataset, Bm25Config.FieldMode.FLAT, cacheRoot, progress);
    this.searcher = index.searcher(Bm25Config.ANSERINI_FLAT);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String fingerprint() {
    return NAME + " " + Bm25Config.ANSERINI_FLAT;
  }

  @Override
  public Scores score(Query query, List<String> docIds, int k) {
    return new Scores(docIds.isEmpty() ? new float[0] : searcher.scores(query.text(), docIds),
        searcher.search(query.text(), k));
  }

  @Override
  public void close() {
    try {
      index.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the BM25 index " + index.path(), e);
    }
  }
}
