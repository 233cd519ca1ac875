package dev.quarry.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.io.DataFormatException;
import dev.quarry.io.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicsFormatTest {
  @TempDir
  Path tmp;

  @Test
  void readsTsvJsonlAndTrecTopicsTellingThemApartByTheirFirstLine() {
    Path tsv = Fixtures.write(tmp.resolve("q.tsv"), "\n1\tvitamin d\n2\tbone density\n");
    assertThat(TopicsFormat.form(tsv)).isEqualTo(TopicsFormat.Form.TSV);
    assertThat(TopicsFormat.read(tsv)).containsExactly(new Query("1", "vitamin d"), new Query("2", "bone density"));
    Path jsonl = Fixtures.write(tmp.resolve("q.jsonl"), "{\"_id\": \"a\", \"text\": \"cats\", \"metadata\": {}}\n");
    assertThat(TopicsFormat.read(jsonl)).containsExactly(new Query("a", "cats"));
    Path trec = Fixtures.write(tmp.resolve("topics.301"), """
        <top>
        <num> Number: 301
        <title> International Organized
        Crime

        <desc> Description:
        Identify organizations that participate in international criminal activity.

        <narr> Narrative:
        A relevant document must as a minimum identify the organization.
        </top>

        <top>
        <num> 302 <title> Poliomyelitis and Post-Polio
        </top>
        """);
    assertThat(TopicsFormat.form(trec)).isEqualTo(TopicsFormat.Form.TREC);
    assertThat(TopicsFormat.read(trec)).containsExactly(new Query("301", "International Organized Crime"),
        new Query("302", "Poliomyelitis and Post-Polio"));
  }

  @Test
  void malformedTopicsNameTheFileAndLine() {
    assertError("<top>\n<num> Number: 1\n</top>\n", ":3: the topic opened at line 1 has no <title>");
    assertError("<top>\n<title> x\n</top>\n", ":3: the topic opened at line 1 has no <num>");
    assertError("<top>\n<num> 1\n<title> x\n", ":3: the topic opened at line 1 has no </top>");
    assertError("<top>\n<num> 1\n<title> x\n<top>\n", ":4: <top> inside the topic opened at line 1");
    assertError("<top>\n<num> 1\n<title> x\n</top>\n<top>\n<num> 1\n<title> y\n</top>\n",
        ":8: duplicate topic id \"1\" (first at line 1)");
    assertError("<top>\n<num> 1 2\n<title> x\n</top>\n", ":4: topic id \"1 2\" contains a space");
    assertError("<top>\n<num> 1\n<title> x\n</top>\nstray\n", ":5: text outside a <top> ... </top> topic");
    assertError("<num> 1\n", ":1: <num> outside a <top> ... </top> topic");
    assertError("\n\n", ": no query in the file");
    assertError("1\tcats\n1\tdogs\n", ":2: duplicate query id \"1\"");
  }

  private void assertError(String content, String message) {
    Path file = Fixtures.write(tmp.resolve("topics"), content);
    assertThatThrownBy(() -> TopicsFormat.read(file)).isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(file.toString()).hasMessageContaining(message);
  }
}
