package dev.quarry.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.io.DataFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {
  @TempDir
  Path out;

  @Test
  void writesOneFlushedJsonLinePerStep() throws Exception {
    try (MetricsLog log = MetricsLog.create(out)) {
      Map<String, Double> extra = new LinkedHashMap<>();
      extra.put("accuracy", 0.25);
      log.append(new StepMetrics(1, 0, 2.5, 0.0, 3.25, 12.5, extra));
      // flushed: readable before close
      assertThat(Files.readAllLines(log.file())).containsExactly("{\"step\":1,\"epoch\":0,\"loss\":2.5,"
          + "\"learning_rate\":0.0,\"grad_norm\":3.25,\"examples_per_second\":12.5,\"accuracy\":0.25}");
      log.append(new StepMetrics(2, 0, Double.NaN, 1e-5, Double.POSITIVE_INFINITY, 11));
      log.appendEvaluation(2, 0, Map.of("dev_ndcg@10", 0.688));
    }
    assertThat(Files.readAllLines(out.resolve(MetricsLog.FILE))).containsExactly(
        "{\"step\":1,\"epoch\":0,\"loss\":2.5,\"learning_rate\":0.0,\"grad_norm\":3.25,\"examples_per_second\":12.5,"
            + "\"accuracy\":0.25}",
        "{\"step\":2,\"epoch\":0,\"loss\":null,\"learning_rate\":1.0E-5,\"grad_norm\":null,"
            + "\"examples_per_second\":11.0}",
        "{\"step\":2,\"epoch\":0,\"dev_ndcg@10\":0.688}");
  }

  @Test
  void createReplacesAnEarlierLog() throws Exception {
    try (MetricsLog log = MetricsLog.create(out)) {
      log.append(new StepMetrics(1, 0, 1, 1, 1, 1));
    }
    try (MetricsLog log = MetricsLog.create(out)) {
      log.append(new StepMetrics(1, 0, 9, 1, 1, 1));
    }
    assertThat(Files.readAllLines(out.resolve(MetricsLog.FILE))).hasSize(1).allMatch(l -> l.contains("\"loss\":9"));
  }

  @Test
  void resumeDropsStepsAfterTheCheckpointAndATornLastLine() throws Exception {
    try (MetricsLog log = MetricsLog.create(out)) {
      for (int step = 1; step <= 5; step++) {
        log.append(new StepMetrics(step, 0, 5 - step, 1e-5, 1, 10));
        if (step == 3) {
          log.appendEvaluation(3, 0, Map.of("dev_ndcg@10", 0.5));
        }
      }
    }
    Files.writeString(out.resolve(MetricsLog.FILE), "{\"step\":6,\"epoch\":0,\"lo", StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    try (MetricsLog log = MetricsLog.resume(out, 3)) {
      log.append(new StepMetrics(4, 0, 0.5, 1e-5, 1, 10));
    }
    List<String> lines = Files.readAllLines(out.resolve(MetricsLog.FILE));
    assertThat(lines).hasSize(5);
    assertThat(lines).extracting(l -> l.substring(0, l.indexOf(','))).containsExactly("{\"step\":1", "{\"step\":2",
        "{\"step\":3", "{\"step\":3", "{\"step\":4");
    assertThat(lines.get(3)).contains("dev_ndcg@10");
    assertThat(lines.get(4)).contains("\"loss\":0.5");
  }

  @Test
  void resumeWithoutALogStartsOne() throws Exception {
    try (MetricsLog log = MetricsLog.resume(out.resolve("fresh"), 10)) {
      log.append(new StepMetrics(11, 1, 1, 1, 1, 1));
    }
    assertThat(Files.readAllLines(out.resolve("fresh").resolve(MetricsLog.FILE))).hasSize(1);
  }

  @Test
  void resumeRejectsACorruptLineBeforeTheLast() throws Exception {
    Files.writeString(out.resolve(MetricsLog.FILE), "{\"step\":1}\nnot json\n{\"step\":2}\n");
    assertThatThrownBy(() -> MetricsLog.resume(out, 1)).isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(out.resolve(MetricsLog.FILE) + ":2: malformed JSON");
    Files.writeString(out.resolve(MetricsLog.FILE), "{\"epoch\":1}\n{\"step\":2}\n");
    assertThatThrownBy(() -> MetricsLog.resume(out, 1))
        .hasMessage(out.resolve(MetricsLog.FILE) + ":1: a metrics line needs an integer \"step\"");
  }

  @Test
  void rejectsFieldsThatClash() {
    assertThatThrownBy(() -> new StepMetrics(1, 0, 1, 1, 1, 1, Map.of("loss", 2.0)))
        .hasMessage("extra field loss clashes with a standard field");
    assertThatThrownBy(() -> new StepMetrics(0, 0, 1, 1, 1, 1)).hasMessage("step must be positive; step=0");
    try (MetricsLog log = MetricsLog.create(out)) {
      assertThatThrownBy(() -> log.appendEvaluation(1, 0, Map.of("step", 2.0)))
          .hasMessage("metric step clashes with a standard field");
    }
  }
}
