package dev.quarry.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.io.JsonLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassageStoreTest {
  @TempDir
  Path tmp;

  private Dataset beir(Path dir, List<Passage> passages) throws Exception {
    BeirFormat.writeCorpus(dir.resolve("corpus.jsonl"), passages);
    BeirFormat.writeQueries(dir.resolve("queries.jsonl"), List.of(new Query("q1", "anything")));
    Files.createDirectories(dir.resolve("qrels"));
    Files.writeString(dir.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq1\t" + passages.get(0).id()
        + "\t1\n");
    return Datasets.open(dir);
  }

  @Test
  void readsEveryPassageByPositionAndByIdAndNothingElse() throws Exception {
    List<Passage> passages = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      String id = i % 3 == 0 ? String.valueOf(i) : i % 3 == 1 ? "doc-" + i + "-ß" : "Ω" + Integer.toHexString(i);
      passages.add(new Passage(id, i % 5 == 0 ? "" : "Title " + i, "text of passage " + i + " — naïve"));
    }
    Dataset data = beir(tmp.resolve("big"), passages);
    try (PassageStore store = PassageStore.openOrBuild(data, tmp.resolve("cache"))) {
      assertThat(store.size()).isEqualTo(20_000);
      for (int i = 0; i < passages.size(); i += 7) {
        assertThat(store.get(i)).isEqualTo(passages.get(i));
      }
      for (Passage p : passages) {
        assertThat(store.find(p.id())).contains(p);
      }
      for (String absent : List.of("20000", "doc-1-", "doc-1-ß ", "", "Ω", "q1")) {
        assertThat(store.find(absent)).as(absent).isEmpty();
      }
      Map<String, Passage> some = store.find(Set.of("0", "doc-1-ß", "missing"));
      assertThat(some).containsOnlyKeys("0", "doc-1-ß");
      List<Passage> streamed = new ArrayList<>();
      store.forEach(streamed::add);
      assertThat(streamed).isEqualTo(passages);
      assertThatThrownBy(() -> store.get(20_000)).isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @Test
  void isBuiltOncePerCorpusAndRebuiltWhenTheCorpusChanges() throws Exception {
    Path dir = tmp.resolve("small");
    Dataset data = beir(dir, List.of(new Passage("a", "", "first"), new Passage("b", "B", "second")));
    Path first;
    String created;
    try (PassageStore store = PassageStore.openOrBuild(data, tmp.resolve("cache"))) {
      first = store.dir();
      created = JsonLines.MAPPER.readTree(first.resolve("manifest.json").toFile()).path("created").asText();
    }
    try (PassageStore again = PassageStore.openOrBuild(Datasets.open(dir), tmp.resolve("cache"))) {
      assertThat(again.dir()).isEqualTo(first);
      assertThat(JsonLines.MAPPER.readTree(first.resolve("manifest.json").toFile()).path("created").asText())
          .isEqualTo(created);
    }
    Dataset changed = beir(dir, List.of(new Passage("a", "", "first, edited"), new Passage("b", "B", "second")));
    try (PassageStore store = PassageStore.openOrBuild(changed, tmp.resolve("cache"))) {
      assertThat(store.dir()).isNotEqualTo(first);
      assertThat(store.find("a").orElseThrow().text()).isEqualTo("first, edited");
    }
  }

  @Test
  void aDamagedStoreIsRebuiltAndOpeningItDirectlyIsAnError() throws Exception {
    Dataset data = beir(tmp.resolve("d"), List.of(new Passage("a", "", "first"), new Passage("b", "", "second")));
    Path dir;
    try (PassageStore store = PassageStore.openOrBuild(data, tmp.resolve("cache"))) {
      dir = store.dir();
    }
    Files.write(dir.resolve("ids.bin"), new byte[8]);
    assertThatThrownBy(() -> PassageStore.open(dir)).hasMessageContaining("is damaged")
        .hasMessageContaining("delete it to rebuild");
    try (PassageStore rebuilt = PassageStore.openOrBuild(data, tmp.resolve("cache"))) {   // rebuilt, not refused
      assertThat(rebuilt.find("b").orElseThrow().text()).isEqualTo("second");
    }
  }

  @Test
  void concurrentBuildersBuildOnce() throws Exception {
    Dataset data = beir(tmp.resolve("c"), List.of(new Passage("a", "", "first"), new Passage("b", "", "second")));
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 4; i++) {
      Thread t = new Thread(() -> {
        try (PassageStore store = PassageStore.openOrBuild(data, tmp.resolve("cache"))) {
          assertThat(store.find("b")).isPresent();
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failures).isEmpty();
    try (var entries = Files.list(tmp.resolve("cache/passages"))) {
      assertThat(entries.map(p -> p.getFileName().toString()).toList()).hasSize(2)   // the store and its lock file
          .anyMatch(n -> n.endsWith(".lock"));
    }
  }
}
