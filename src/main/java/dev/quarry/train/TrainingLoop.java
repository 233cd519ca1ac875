package dev.quarry.train;

import ai.djl.ndarray.NDManager;
import dev.quarry.model.TrainableWeights;
import dev.quarry.random.TrainingSeeds;
import dev.quarry.util.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The loop every Quarry trainer runs: epochs over a seeded per-epoch order of the training items, {@code batch_size}
 * items a step (the last incomplete batch of an epoch is dropped), AdamW with linear warmup and decay and
 * {@link ClippedUpdate clipped} gradients, a metrics line per step, checkpoints every {@code checkpoint_every} steps
 * and at each epoch's end, a dev evaluation after each epoch with the best epoch exported (or per
 * {@link DevEvaluation}), and resumption from the
 * newest checkpoint. What a step computes, how the dev split is scored and what is exported are the {@link Model}'s.
 */
public final class TrainingLoop {
  private TrainingLoop() {
  }

  /** What a trainer plugs into the loop besides the weights. */
  public interface Model {
    /**
     * The loss of the step over items {@code order[position .. position + batch_size)}, whose gradients it adds to
     * the parameters' (zeroed) gradient buffers.
     */
    float lossAndGradients(NDManager root, int[] order, int position, long step);

    /** The dev metric of the current weights. */
    double evaluate();

    /** Writes the current weights as the run's model: after the best epoch so far, or the last (DevEvaluation). */
    void export();

    /** Further numbers about the last step for its metrics line (for example ANCE's index lag). */
    default Map<String, Double> stepMetrics() {
      return Map.of();
    }

    /**
     * Factors of the scheduled learning rate for some parameters at this step (0 holds a parameter: its optimizer
     * moments move, its value does not); parameters not named use 1.
     */
    default Map<String, Double> learningRateScales(long step) {
      return Map.of();
    }
  }

  /** What a finished loop reports. */
  public record Result(long steps, DevHistory dev) {
  }

  /**
   * Runs (or resumes) the loop.
   *
   * @param items the number of training items the order permutes
   * @param devMetric the name the dev metric is logged under
   * @param configSha256 the config's hash, which a checkpoint must match to be resumed
   */
  public static Result run(TrainableWeights weights, Model model, TrainingConfig t, int items, String devMetric,
      String configSha256, Path out, Progress progress, NDManager root) {
    int stepsPerEpoch = items / t.batchSize();
    if (stepsPerEpoch == 0) {
      throw new IllegalArgumentException("training.batch_size " + t.batchSize() + " exceeds the " + items
          + " training items");
    }
    int totalSteps = stepsPerEpoch * t.epochs();
    LinearWarmupDecay schedule = new LinearWarmupDecay(t.learningRate(),
        (int) Math.round(t.warmupRatio() * totalSteps), totalSteps);
    TrainingSeeds seeds = new TrainingSeeds(t.seed());
    Path checkpoints = Checkpoint.folder(out);
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + out, e);
    }
    try (AdamW optimizer = new AdamW(weights.parameters(), AdamWConfig.withWeightDecay(t.weightDecay()), root)) {
      ClippedUpdate update = new ClippedUpdate(optimizer, weights.parameters(), t.maxGradNorm());
      long globalStep = 0;
      int startEpoch = 0;
      int startPosition = 0;
      DevHistory dev = DevHistory.open(out);
      Optional<Path> latest = Checkpoint.latest(checkpoints);
      MetricsLog log;
      if (latest.isPresent()) {
        Checkpoint c = Checkpoint.load(latest.get());
        c.state().requireCompatible(configSha256);
        weights.loadWeights(c.model());
        optimizer.loadState(c.optimizer());
        globalStep = c.state().step();
        startEpoch = c.state().epoch();
        startPosition = c.state().positionInEpoch();
        log = MetricsLog.resume(out, globalStep);
      } else {
        log = MetricsLog.create(out);
      }
      try (log; Progress.Task task = progress.start("train", totalSteps)) {
        task.skip(globalStep);
        for (int epoch = startEpoch; epoch < t.epochs(); epoch++) {
          int[] order = seeds.dataOrder(items, epoch);
          for (int position = epoch == startEpoch ? startPosition : 0; position + t.batchSize() <= order.length
              && position / t.batchSize() < stepsPerEpoch; position += t.batchSize()) {
            long stepStart = System.nanoTime();
            GradientBuffers.zero(weights.parameters());
            float loss = model.lossAndGradients(root, order, position, globalStep);
            double lr = schedule.learningRate(globalStep);
            double norm = update.apply(root, loss, lr, model.learningRateScales(globalStep));
            globalStep++;
            double seconds = (System.nanoTime() - stepStart) / 1e9;
            Map<String, Double> extra = new LinkedHashMap<>();
            extra.put("skipped_steps", (double) update.skipped());
            extra.putAll(model.stepMetrics());
            log.append(new StepMetrics(globalStep, epoch, loss, lr, norm, t.batchSize() / seconds, extra));
            task.step(1, String.format(java.util.Locale.ROOT, "epoch %d, loss %.4f, lr %.2e", epoch + 1, loss, lr));
            if (globalStep % t.checkpointEvery() == 0) {
              save(checkpoints, globalStep, epoch, position + t.batchSize(), seeds, configSha256, weights, optimizer);
            }
          }
          if (t.devEvaluation().evaluatesAfter(epoch, t.epochs())) {
            double value = model.evaluate();
            boolean best = dev.record(epoch + 1, value);
            log.appendEvaluation(globalStep, epoch, Map.of(devMetric, value));
            if (best || t.devEvaluation() != DevEvaluation.EVERY_EPOCH) {
              model.export();
            }
          } else if (epoch == t.epochs() - 1) {
            model.export();
          }
          save(checkpoints, globalStep, epoch + 1, 0, seeds, configSha256, weights, optimizer);
        }
      }
      TrainingCurves.writePng(out.resolve(MetricsLog.FILE), out.resolve("training-curves.png"));
      return new Result(globalStep, dev);
    }
  }

  private static void save(Path checkpoints, long step, int epoch, int position, TrainingSeeds seeds,
      String configSha256, TrainableWeights weights, AdamW optimizer) {
    Checkpoint.save(checkpoints, TrainerState.of(step, epoch, position, seeds, configSha256), weights.exportWeights(),
        optimizer.state(), 2);
  }
}
