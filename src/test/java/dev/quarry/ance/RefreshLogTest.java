package dev.quarry.ance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefreshLogTest {
  @TempDir
  Path tmp;

  private static IndexRefresher.Built built(long step) {
    return new IndexRefresher.Built(new NegativeTable(step, Map.of("q", List.of("d"))), 2.5, 0.1, 0.2);
  }

  @Test
  void aResumedRunContinuesTheCountAndDropsALineTornByAKill() throws Exception {
    RefreshLog log = RefreshLog.open(tmp);
    log.append(RefreshLog.Mode.SYNCHRONOUS, 0, 0, built(0));
    log.append(RefreshLog.Mode.BACKGROUND, 10, 14, built(10));
    Path file = tmp.resolve(RefreshLog.FILE);
    Files.writeString(file, Files.readString(file) + "{\"refresh\":3,\"mode\":\"backgr",
        StandardOpenOption.TRUNCATE_EXISTING);
    RefreshLog resumed = RefreshLog.open(tmp);
    RefreshLog.Entry third = resumed.append(RefreshLog.Mode.BACKGROUND, 20, 25, built(20));
    assertThat(third.refresh()).isEqualTo(3);
    List<RefreshLog.Entry> entries = RefreshLog.read(file);
    assertThat(entries).extracting(RefreshLog.Entry::weightsStep).containsExactly(0L, 10L, 20L);
    assertThat(entries.get(1).totalSeconds()).isEqualTo(2.8, within(1e-9));
  }

  @Test
  void damageBeforeTheLastLineIsAnErrorNamingTheLine() throws Exception {
    Path file = tmp.resolve(RefreshLog.FILE);
    Files.writeString(file, "{\"refresh\":1}\n{\"refresh\":2,\"mode\":\"background\",\"weights_step\":1,"
        + "\"published_at_step\":2,\"encode_seconds\":1,\"index_seconds\":1,\"search_seconds\":1}\n");
    assertThatThrownBy(() -> RefreshLog.open(tmp)).hasMessageContaining(RefreshLog.FILE).hasMessageContaining("1")
        .hasMessageContaining("not a refresh log entry");
  }
}
