package dev.quarry.ance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.io.DataFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NegativeTableTest {
  @TempDir
  Path tmp;

  @Test
  void writesReadsAndResumesFromTheNewestTableNoLaterThanTheCheckpoint() throws Exception {
    for (long step : new long[] {0, 10, 20}) {
      new NegativeTable(step, Map.of("q1", List.of("a", "b", "c"), "q2", List.of("c"))).write(tmp);
    }
    NegativeTable t = NegativeTable.newestAtOrBefore(tmp, 15).orElseThrow();
    assertThat(t.step()).isEqualTo(10);
    assertThat(t.hits()).containsEntry("q1", List.of("a", "b", "c"));
    assertThat(tmp.resolve("step-00000020.jsonl")).as("a table from after the checkpoint is dropped")
        .doesNotExist();
    assertThat(t.ranks("q1", 2, 5)).containsExactly("b", "c");
    assertThat(t.ranks("q2", 2, 5)).isEmpty();
    assertThatThrownBy(() -> t.ranks("q3", 1, 2)).hasMessageContaining("no hits for query q3");
    assertThat(NegativeTable.newestAtOrBefore(tmp.resolve("missing"), 5)).isEmpty();
  }

  @Test
  void aDamagedTableNamesFileAndLine() throws Exception {
    Path f = tmp.resolve("step-00000003.jsonl");
    Files.writeString(f, "{\"query_id\":\"q1\",\"hits\":[\"a\"]}\n{\"query_id\":\"q2\",\"hits\":\"a\"}\n");
    assertThatThrownBy(() -> NegativeTable.read(f)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("step-00000003.jsonl").hasMessageContaining("2")
        .hasMessageContaining("must be an array");
  }
}
