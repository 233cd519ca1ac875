package dev.quarry.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.io.DataFormatException;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingCurvesTest {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @TempDir
  Path out;

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  @Test
  void drawsLossLearningRateAndDevPanels() throws Exception {
    LinearWarmupDecay schedule = new LinearWarmupDecay(2e-5, 5, 40);
    try (MetricsLog log = MetricsLog.create(out)) {
      for (int step = 1; step <= 40; step++) {
        log.append(new StepMetrics(step, (step - 1) / 20, 3.0 / Math.sqrt(step) + 0.1 * Math.sin(step),
            schedule.learningRate(step - 1), 2.0, 10));
        if (step % 20 == 0) {
          log.appendEvaluation(step, (step - 1) / 20, Map.of("dev_ndcg@10", 0.6 + step / 400.0,
              "dev_recall@100", 0.8 + step / 1000.0));
        }
      }
    }
    Path png = out.resolve("curves").resolve("training.png");
    TrainingCurves.writePng(out.resolve(MetricsLog.FILE), png);
    byte[] bytes = Files.readAllBytes(png);
    assertThat(bytes.length).isGreaterThan(1000);
    assertThat(Arrays.copyOf(bytes, 8)).containsExactly(PNG_SIGNATURE);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(900);
    assertThat(image.getHeight()).isEqualTo(3 * 320);
  }

  @Test
  void withoutEvaluationsDrawsTwoPanels() throws Exception {
    try (MetricsLog log = MetricsLog.create(out)) {
      log.append(new StepMetrics(1, 0, 2.0, 0, 1, 1));
      log.append(new StepMetrics(2, 0, Double.NaN, 1e-5, 1, 1));   // a null loss is left out
      log.append(new StepMetrics(3, 0, 1.5, 2e-5, 1, 1));
    }
    Path png = out.resolve("training.png");
    TrainingCurves.writePng(out.resolve(MetricsLog.FILE), png);
    assertThat(ImageIO.read(png.toFile()).getHeight()).isEqualTo(2 * 320);
  }

  @Test
  void anEmptyLogIsAnError() throws Exception {
    Path empty = Files.writeString(out.resolve(MetricsLog.FILE), "");
    assertThatThrownBy(() -> TrainingCurves.writePng(empty, out.resolve("x.png")))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("no step lines to draw");
    assertThat(out.resolve("x.png")).doesNotExist();
  }
}
