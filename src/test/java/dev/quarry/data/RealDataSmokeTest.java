package dev.quarry.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.io.Checksums;
import dev.quarry.testing.SharedData;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reads the real datasets under ../shared/datasets (-Dquarry.shared; see its README.md for the verified counts). */
class RealDataSmokeTest {
  @Test
  void beirSciFact() {
    Path root = SharedData.scifact();
    Dataset d = Datasets.open(root);
    assertThat(d.format()).isEqualTo(DatasetFormat.BEIR);

    Set<String> ids = new HashSet<>();
    int[] docs = {0};
    d.forEachPassage(p -> {
      docs[0]++;
      ids.add(p.id());
      assertThat(p.text()).isNotNull();
    });
    assertThat(docs[0]).isEqualTo(5183);
    assertThat(ids).hasSize(5183);

    assertThat(BeirFormat.readQueries(root.resolve("queries.jsonl"))).hasSize(1109);
    assertThat(d.splits()).containsExactly("test", "train");
    assertThat(d.queries("test")).hasSize(300);
    assertThat(d.qrels("test").size()).isEqualTo(339);
    assertThat(d.qrels("test").queryIds()).hasSize(300);
    assertThat(d.queries("train")).hasSize(809);
    assertThat(d.qrels("train").size()).isEqualTo(919);
    assertThat(d.qrels("train").queryIds()).hasSize(809);
    // every judged document is in the corpus
    assertThat(ids).containsAll(d.qrels("test").queryIds().stream()
        .flatMap(q -> d.qrels("test").judgments(q).keySet().stream()).toList());

    // the checksum is over the one corpus file, whose SHA-256 the dataset README gives
    assertThat(Checksums.sha256(root.resolve("corpus.jsonl")))
        .isEqualTo("dec31c8182f3d744c7d2c09423756fd1d17cbef75808db13ba01cc0aab4d1ac6");
    assertThat(d.corpusChecksum())
        .isEqualTo(Checksums.sha256("dec31c8182f3d744c7d2c09423756fd1d17cbef75808db13ba01cc0aab4d1ac6"));
  }

  @Test
  void squadDev() {
    Path root = SharedData.squad();
    Dataset d = Datasets.open(root);
    assertThat(d.format()).isEqualTo(DatasetFormat.SQUAD);
    assertThat(d.splits()).containsExactly("dev", "dev.train", "dev.test");
    assertThat(d.queries("dev.train")).hasSize(8595);
    assertThat(d.queries("dev.test")).hasSize(1975);

    Set<String> ids = new HashSet<>();
    int[] passages = {0};
    d.forEachPassage(p -> {
      passages[0]++;
      ids.add(p.id());
    });
    assertThat(passages[0]).isEqualTo(2067);
    assertThat(ids).hasSize(2067);

    List<Query> queries = d.queries("dev");
    assertThat(queries).hasSize(10570);
    Qrels qrels = d.qrels("dev");
    assertThat(qrels.size()).isEqualTo(10570);
    assertThat(qrels.queryIds()).hasSize(10570);
    for (Query q : queries) {
      assertThat(qrels.judgments(q.id())).hasSize(1);
      assertThat(ids).contains(qrels.judgments(q.id()).keySet().iterator().next());
    }
    Map<String, List<String>> answers = d.answers("dev").orElseThrow();
    assertThat(answers).hasSize(10570);
    assertThat(answers.values()).allSatisfy(a -> assertThat(a).isNotEmpty());
    assertThat(answers.values().stream().mapToInt(List::size).sum()).isEqualTo(34726);
    assertThat(answers.keySet()).containsExactlyElementsOf(queries.stream().map(Query::id).toList());
  }
}
