package dev.quarry.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.DataFormatException;
import dev.quarry.io.JsonLines;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a {@link MetricsLog} as a PNG of stacked panels against the step: the training loss (each step, and its
 * moving average over {@value #SMOOTHING_WINDOW} steps), its components when step lines carry {@code loss_*} fields
 * (for example Condenser's MLM and contrastive losses), the learning rate, and, when the log has evaluation lines,
 * each {@code dev_*} metric as points. Rendering needs no display, but the JVM must run headless
 * ({@code -Djava.awt.headless=true}, which {@code bin/quarry} sets) on a machine without one.
 */
public final class TrainingCurves {
  /** Steps averaged by the smoothed loss curve. */
  public static final int SMOOTHING_WINDOW = 20;
  private static final int WIDTH = 900;
  private static final int PANEL_HEIGHT = 320;

  private TrainingCurves() {
  }

  /** Reads {@code metricsJsonl} and writes the curves to {@code png}, atomically. */
  public static void writePng(Path metricsJsonl, Path png) {
    Curves curves = read(metricsJsonl);
    if (curves.steps.isEmpty()) {
      throw new DataFormatException(metricsJsonl, 0, "no step lines to draw (lines with \"loss\")", null);
    }
    List<XYChart> panels = new ArrayList<>();
    panels.add(lossPanel(curves));
    if (!curves.parts.isEmpty()) {
      XYChart parts = chart("Loss components", "loss");
      curves.parts.forEach((name, points) -> parts.addSeries(name.substring("loss_".length()), points.steps,
          points.values).setMarker(SeriesMarkers.NONE));
      panels.add(parts);
    }
    panels.add(panel("Learning rate", "learning rate", curves.steps, curves.learningRates, false));
    if (!curves.dev.isEmpty()) {
      XYChart dev = chart("Dev evaluation", "metric");
      dev.getStyler().setYAxisDecimalPattern("0.0000");
      curves.dev.forEach((name, points) -> {
        XYSeries s = dev.addSeries(name, points.steps, points.values);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.CIRCLE);
      });
      panels.add(dev);
    }
    double first = curves.steps.get(0);
    double last = curves.steps.get(curves.steps.size() - 1);
    for (Points p : curves.dev.values()) {
      first = Math.min(first, p.steps.get(0));
      last = Math.max(last, p.steps.get(p.steps.size() - 1));
    }
    for (XYChart panel : panels) {   // one step axis for every panel, so they line up
      panel.getStyler().setXAxisMin(first);
      panel.getStyler().setXAxisMax(last);
    }
    BufferedImage image = new BufferedImage(WIDTH, PANEL_HEIGHT * panels.size(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      for (int i = 0; i < panels.size(); i++) {
        g.drawImage(BitmapEncoder.getBufferedImage(panels.get(i)), 0, i * PANEL_HEIGHT, null);
      }
    } finally {
      g.dispose();
    }
    try (AtomicOutput out = AtomicOutput.create(png)) {
      if (!ImageIO.write(image, "png", out.stream())) {
        throw new IllegalStateException("no PNG writer in this JVM");
      }
      out.commit();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png, e);
    }
  }

  private static XYChart lossPanel(Curves curves) {
    XYChart chart = panel("Training loss", "loss", curves.steps, curves.losses, true);
    if (curves.steps.size() > SMOOTHING_WINDOW) {
      List<Double> smooth = new ArrayList<>();
      double sum = 0;
      for (int i = 0; i < curves.losses.size(); i++) {
        sum += curves.losses.get(i);
        if (i >= SMOOTHING_WINDOW) {
          sum -= curves.losses.get(i - SMOOTHING_WINDOW);
        }
        smooth.add(sum / Math.min(i + 1, SMOOTHING_WINDOW));
      }
      XYSeries s = chart.addSeries("mean of " + SMOOTHING_WINDOW + " steps", curves.steps, smooth);
      s.setMarker(SeriesMarkers.NONE);
    }
    return chart;
  }

  private static XYChart panel(String title, String yTitle, List<Long> steps, List<Double> values, boolean legend) {
    XYChart chart = chart(title, yTitle);
    chart.getStyler().setLegendVisible(legend);
    XYSeries s = chart.addSeries(yTitle, steps, values);
    s.setMarker(SeriesMarkers.NONE);
    return chart;
  }

  private static XYChart chart(String title, String yTitle) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(PANEL_HEIGHT).title(title).xAxisTitle("step")
        .yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setXAxisTickMarkSpacingHint(90);
    return chart;
  }

  private static Curves read(Path file) {
    Curves curves = new Curves();
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = JsonLines.MAPPER.readTree(lines.get(i));
      } catch (JsonProcessingException e) {
        if (i == lines.size() - 1) {
          break;   // a line being written while the file was read
        }
        throw new DataFormatException(file, i + 1, "malformed JSON: " + e.getOriginalMessage(), e);
      }
      JsonNode step = node.get("step");
      if (step == null || !step.isIntegralNumber()) {
        throw new DataFormatException(file, i + 1, "a metrics line needs an integer \"step\"");
      }
      curves.add(step.longValue(), node);
    }
    return curves;
  }

  /** The series read from a log; non-finite values (written as null) are left out. */
  private static final class Curves {
    final List<Long> steps = new ArrayList<>();
    final List<Double> losses = new ArrayList<>();
    final List<Double> learningRates = new ArrayList<>();
    final Map<String, Points> dev = new TreeMap<>();
    final Map<String, Points> parts = new TreeMap<>();

    void add(long step, JsonNode node) {
      JsonNode loss = node.get("loss");
      JsonNode lr = node.get("learning_rate");
      if (loss != null && loss.isNumber() && lr != null && lr.isNumber()) {
        steps.add(step);
        losses.add(loss.doubleValue());
        learningRates.add(lr.doubleValue());
      }
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        Map<String, Points> target = e.getKey().startsWith("dev_") ? dev
            : e.getKey().startsWith("loss_") ? parts : null;
        if (target != null && e.getValue().isNumber()) {
          Points p = target.computeIfAbsent(e.getKey(), k -> new Points());
          p.steps.add(step);
          p.values.add(e.getValue().doubleValue());
        }
      }
    }
  }

  private static final class Points {
    final List<Long> steps = new ArrayList<>();
    final List<Double> values = new ArrayList<>();
  }
}
