package dev.quarry.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Progress in a log (not a terminal): a line per training step with its status, speed and time left. */
class ConsoleProgressTest {
  @Test
  void aLogGetsALinePerStatusWithSpeedAndTimeLeft() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    long start = System.nanoTime();
    ConsoleProgress.LogTask task = new ConsoleProgress.LogTask("train", 100, err, start);
    task.skip(40);   // a resumed run: 40 steps done before, not part of the speed
    task.step(10);   // no status, and not 30 s since the start: no line
    // 10 steps in 20 s: 0.5/s; 50 left: 100 s
    assertThat(task.line("epoch 2, loss 1.2345", start + 20_000_000_000L))
        .isEqualTo("train: 50/100 (50.0%), epoch 2, loss 1.2345; 0.50/s, ETA 1.7 min");
    task.step(1, "epoch 2, loss 1.0000");
    task.close();
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).startsWith("train: 51/100 (51.0%), epoch 2, loss 1.0000; ").contains("/s, ETA ");
    assertThat(lines[1]).startsWith("train: 11 done in ");
  }

  @Test
  void aTaskOfUnknownSizeShowsCountAndSpeedOnly() {
    long start = System.nanoTime();
    ConsoleProgress.LogTask task = new ConsoleProgress.LogTask("encode", -1, new PrintStream(
        new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), start);
    task.step(30);
    assertThat(task.line(null, start + 10_000_000_000L)).isEqualTo("encode: 30; 3.00/s");
  }
}
