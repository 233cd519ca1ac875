package dev.quarry.rocketqa;

import dev.quarry.data.Query;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnlabeledQueriesTest {
  @TempDir
  Path tmp;

  @Test
  void readsOneQueryPerLineWithLineNumberIds() throws Exception {
    Path file = Files.writeString(tmp.resolve("log.txt"), "what causes rust\n\n  how do vaccines work  \nwhy\n");
    assertThat(UnlabeledQueries.read(file, 10, 1)).containsExactly(new Query("unlabeled-1", "what causes rust"),
        new Query("unlabeled-3", "how do vaccines work"), new Query("unlabeled-4", "why"));
    List<Query> two = UnlabeledQueries.read(file, 2, 1);
    assertThat(two).hasSize(2).isEqualTo(UnlabeledQueries.read(file, 2, 1));
  }

  @Test
  void readsBeirJsonlWithPrefixedIds() throws Exception {
    Path file = Files.writeString(tmp.resolve("q.jsonl"), "{\"_id\": \"a7\", \"text\": \"first\"}\n"
        + "{\"_id\": \"b2\", \"text\": \"second\"}\n");
    assertThat(UnlabeledQueries.read(file, 5, 3)).containsExactly(new Query("unlabeled-a7", "first"),
        new Query("unlabeled-b2", "second"));
  }

  @Test
  void anEmptyFileOrABadLineIsAnErrorNamingTheFile() throws Exception {
    Path empty = Files.writeString(tmp.resolve("empty.txt"), "\n\n");
    assertThatThrownBy(() -> UnlabeledQueries.read(empty, 5, 1)).hasMessageContaining(empty.toString())
        .hasMessageContaining("holds no query");
    Path bad = Files.writeString(tmp.resolve("bad.jsonl"), "{\"_id\": \"a\", \"text\": \"x\"}\n{\"_id\": 3\n");
    assertThatThrownBy(() -> UnlabeledQueries.read(bad, 5, 1)).hasMessageContaining(bad + ":2");
  }
}
