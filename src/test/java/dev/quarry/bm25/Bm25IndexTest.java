package dev.quarry.bm25;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.data.BeirFormat;
import dev.quarry.data.Dataset;
import dev.quarry.data.Datasets;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import dev.quarry.util.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Bm25IndexTest {
  @TempDir
  Path tmp;

  private Dataset tiny(Path dir, List<Passage> passages) {
    BeirFormat.writeCorpus(dir.resolve("corpus.jsonl"), passages);
    BeirFormat.writeQueries(dir.resolve("queries.jsonl"), List.of(new Query("q1", "cats"), new Query("d2", "dogs")));
    try {
      Files.createDirectories(dir.resolve("qrels"));
      Files.writeString(dir.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\nd2\td2\t1\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return Datasets.open(dir);
  }

  private static final List<Passage> PASSAGES = List.of(
      new Passage("d1", "Cats", "The cat sat on the mat. Cats purr."),
      new Passage("d2", "Dogs", "Dogs bark at cats."),
      new Passage("d3", "", "Nothing about pets here."),
      new Passage("d4", "Cats", "The cat sat on the mat. Cats purr."));

  @Test
  void indexIsReusedWhileTheCorpusIsUnchangedAndRebuiltWhenItChanges() throws Exception {
    Dataset dataset = tiny(tmp.resolve("data"), PASSAGES);
    AtomicInteger builds = new AtomicInteger();
    Progress counting = (name, total) -> {
      builds.incrementAndGet();
      return Progress.Task.NONE;
    };
    Path first;
    try (Bm25Index index = Bm25Index.openOrBuild(dataset, Bm25Config.FieldMode.FLAT, tmp.resolve("cache"), counting)) {
      first = index.path();
    }
    try (Bm25Index index = Bm25Index.openOrBuild(dataset, Bm25Config.FieldMode.FLAT, tmp.resolve("cache"), counting)) {
      assertThat(index.path()).isEqualTo(first);
    }
    assertThat(builds).hasValue(1);
    tiny(tmp.resolve("data"), PASSAGES.subList(0, 3));
    try (Bm25Index index = Bm25Index.openOrBuild(dataset, Bm25Config.FieldMode.FLAT, tmp.resolve("cache"), counting)) {
      assertThat(index.path()).isNotEqualTo(first);
      assertThat(index.numDocs()).isEqualTo(3);
    }
    assertThat(builds).hasValue(2);
  }

  @Test
  void concurrentBuildersOfOneIndexBuildItOnceAndAllOpenIt() throws Exception {
    Dataset dataset = tiny(tmp.resolve("data"), PASSAGES);
    AtomicInteger builds = new AtomicInteger();
    Progress slow = (name, total) -> {   // a slow build, so that the other threads arrive while it runs
      builds.incrementAndGet();
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Progress.Task.NONE;
    };
    Path cache = tmp.resolve("cache");
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      var start = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<Path>> opened = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        opened.add(pool.submit(() -> {
          start.await();
          try (Bm25Index index = Bm25Index.openOrBuild(dataset, Bm25Config.FieldMode.FLAT, cache, slow)) {
            assertThat(index.numDocs()).isEqualTo(4);
            return index.path();
          }
        }));
      }
      start.countDown();
      Path first = opened.get(0).get();
      for (var f : opened) {
        assertThat(f.get()).isEqualTo(first);
      }
      assertThat(builds).as("builds").hasValue(1);
      try (var entries = Files.list(cache.resolve("bm25"))) {
        assertThat(entries.map(p -> p.getFileName().toString())).as("no scratch left")
            .containsExactlyInAnyOrder(first.getFileName().toString(), first.getFileName() + ".lock");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void tiesAreOrderedByDocIdDescendingAndRepeatedQueryTermsCount() throws Exception {
    Dataset dataset = tiny(tmp.resolve("data"), PASSAGES);
    try (Bm25Index index = Bm25Index.openOrBuild(dataset, Bm25Config.FieldMode.FLAT, tmp.resolve("cache"), Progress.NONE)) {
      Bm25Searcher searcher = index.searcher(Bm25Config.ANSERINI_FLAT);
      List<ScoredDoc> hits = searcher.search("cat", 10);
      assertThat(hits).extracting(ScoredDoc::docId).containsExactly("d4", "d1", "d2");
      assertThat(hits.get(0).score()).isEqualTo(hits.get(1).score());
      // "cats cats" boosts the one term by its count: every score doubles, as with Anserini's bag of words
      List<ScoredDoc> twice = searcher.search("cats cats", 10);
      assertThat(twice.get(0).score()).isCloseTo(2 * hits.get(0).score(), org.assertj.core.data.Offset.offset(1e-5));
      assertThat(searcher.search("the of and", 10)).as("stop words only").isEmpty();
    }
  }

  @Test
  void removeQueryIdDropsSelfHitsOnlyWhenAsked() throws Exception {
    Dataset dataset = tiny(tmp.resolve("data"), PASSAGES);
    try (Bm25Index index = Bm25Index.openOrBuild(dataset, Bm25Config.FieldMode.FLAT, tmp.resolve("cache"), Progress.NONE)) {
      Bm25Searcher searcher = index.searcher(Bm25Config.ANSERINI_FLAT);
      List<Query> queries = List.of(new Query("d2", "dogs bark"));
      Run kept = searcher.searchAll(queries, 10, "t", 1, false, Progress.NONE);
      Run removed = searcher.searchAll(queries, 10, "t", 1, true, Progress.NONE);
      assertThat(kept.docs("d2")).extracting(ScoredDoc::docId).contains("d2");
      assertThat(removed.docs("d2")).extracting(ScoredDoc::docId).doesNotContain("d2");
    }
  }

  @Test
  void searcherRefusesAFieldModeTheIndexWasNotBuiltFor() throws Exception {
    Dataset dataset = tiny(tmp.resolve("data"), PASSAGES);
    try (Bm25Index index = Bm25Index.openOrBuild(dataset, Bm25Config.FieldMode.FLAT, tmp.resolve("cache"), Progress.NONE)) {
      assertThatThrownBy(() -> index.searcher(new Bm25Config(0.9f, 0.4f, Bm25Config.FieldMode.MULTIFIELD)))
          .hasMessageContaining("is FLAT but MULTIFIELD");
    }
    assertThatThrownBy(() -> new Bm25Config(0, 0.4f, Bm25Config.FieldMode.FLAT)).hasMessage("k1 must be positive and finite; k1=0.0");
    assertThatThrownBy(() -> new Bm25Config(0.9f, 1.5f, Bm25Config.FieldMode.FLAT)).hasMessage("b must be in [0, 1]; b=1.5");
  }

  @Test
  void scoresOfChosenDocumentsAreTheScoresSearchGivesThem() throws Exception {
    Dataset dataset = tiny(tmp.resolve("data"), PASSAGES);
    for (Bm25Config.FieldMode mode : Bm25Config.FieldMode.values()) {
      try (Bm25Index index = Bm25Index.openOrBuild(dataset, mode, tmp.resolve("cache"), Progress.NONE)) {
        Bm25Searcher searcher = index.searcher(new Bm25Config(0.9f, 0.4f, mode));
        for (String query : List.of("cat mat", "dogs bark", "purr")) {
          List<ScoredDoc> hits = searcher.search(query, 10);
          List<String> ids = List.of("d4", "d3", "d2", "d1", "d2");
          float[] scores = searcher.scores(query, ids);
          for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            double expected = hits.stream().filter(h -> h.docId().equals(id)).mapToDouble(ScoredDoc::score)
                .findFirst().orElse(0);
            assertThat((double) scores[i]).as(mode + " " + query + " " + id).isEqualTo(expected);
          }
        }
        assertThat(searcher.scores("zebra", List.of("d1"))).containsExactly(0f);
        assertThatThrownBy(() -> searcher.scores("cat", List.of("d1", "d9")))
            .hasMessageContaining("document d9 is not in the BM25 index");
      }
    }
  }
}
