/**
 * The reusable pieces around a training loop: the YAML run configuration ({@link dev.quarry.train.TrainConfig},
 * read by {@link dev.quarry.train.TrainConfigLoader}), the optimizer ({@link dev.quarry.train.AdamW}, with PyTorch's
 * {@code torch.optim.AdamW} semantics), gradient clipping, the learning-rate schedule
 * ({@link dev.quarry.train.LinearWarmupDecay}), randomness derived from {@code (seed, purpose, epoch, step)}
 * ({@link dev.quarry.train.TrainingSeeds}) so a resumed run continues exactly, atomic checkpoints
 * ({@link dev.quarry.train.Checkpoint}) and the metrics log with its PNG curves
 * ({@link dev.quarry.train.MetricsLog}, {@link dev.quarry.train.TrainingCurves}).
 *
 * <p>Steps are counted as completed optimizer updates: the first update is step 1, a checkpoint at step N holds the
 * state after N updates, and the metrics line of step N describes the N-th update. The learning-rate schedule is
 * indexed from 0 like Hugging Face's, so update N runs with {@code schedule.learningRate(N - 1)}.
 */
package dev.quarry.train;
