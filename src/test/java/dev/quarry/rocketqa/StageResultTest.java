package dev.quarry.rocketqa;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.DataFormatException;
import dev.quarry.io.JsonLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A stage's manifest: what the stage's metrics object holds, typed, and back. */
class StageResultTest {
  @TempDir
  Path tmp;

  @Test
  void aManifestRoundTripsWithTestDevNotesAndMinutes() throws Exception {
    ObjectNode metrics = JsonLines.MAPPER.createObjectNode().put("ndcg@10", 0.7213).put("recall@100", 0.94)
        .put("reranks", "md0 top 20");
    metrics.putObject("dev").put("ndcg@10", 0.7409);
    ObjectNode inputs = JsonLines.MAPPER.createObjectNode().put("groups", "g.jsonl").put("labeled_groups", 709);
    StageResult r = StageResult.of(Stage.MD2, "abc", inputs, metrics, 14.7);
    assertThat(r.test()).containsExactlyInAnyOrderEntriesOf(Map.of("ndcg@10", 0.7213, "recall@100", 0.94));
    assertThat(r.dev("ndcg@10")).hasValue(0.7409);
    assertThat(r.test("mrr@10")).isEmpty();
    assertThat(r.notes()).containsExactly(Map.entry("reranks", "md0 top 20"));

    Path file = tmp.resolve("manifest.json");
    r.write(file);
    StageResult back = StageResult.read(file);
    assertThat(back.stage()).isEqualTo(Stage.MD2);
    assertThat(back.configSha256()).isEqualTo("abc");
    assertThat(back.test()).isEqualTo(r.test());
    assertThat(back.dev()).isEqualTo(r.dev());
    assertThat(back.notes()).isEqualTo(r.notes());
    assertThat(back.minutes()).isEqualTo(14.7);
    assertThat(back.inputs()).isEqualTo(inputs);
    assertThat(JsonLines.MAPPER.readTree(file.toFile()).path("metrics").path("dev").path("ndcg@10").asDouble())
        .isEqualTo(0.7409);
  }

  @Test
  void aFileThatIsNotAManifestIsAnErrorNamingIt() throws Exception {
    Path file = Files.writeString(tmp.resolve("manifest.json"), "{\"stage\": \"md9\", \"metrics\": {}}");
    assertThatThrownBy(() -> StageResult.read(file)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("not a pipeline stage manifest");
  }
}
