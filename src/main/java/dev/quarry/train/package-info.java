/**
 * What every trainer shares, and nothing a recipe owns: the loop ({@link dev.quarry.train.TrainingLoop}: epochs,
 * steps, checkpoints, dev evaluation, resume), the optimizer ({@link dev.quarry.train.AdamW}, with PyTorch's
 * {@code torch.optim.AdamW} semantics), gradient clipping, the learning-rate schedule
 * ({@link dev.quarry.train.LinearWarmupDecay}), dropout replay for gradient caches, atomic checkpoints
 * ({@link dev.quarry.train.Checkpoint}), the metrics log with its PNG curves ({@link dev.quarry.train.MetricsLog},
 * {@link dev.quarry.train.TrainingCurves}), the shared {@code training} and {@code dev} config sections and the
 * training groups file. Randomness comes from {@code dev.quarry.random}.
 *
 * <p>Steps are counted as completed optimizer updates: the first update is step 1, a checkpoint at step N holds the
 * state after N updates, and the metrics line of step N describes the N-th update. The learning-rate schedule is
 * indexed from 0 like Hugging Face's, so update N runs with {@code schedule.learningRate(N - 1)}.
 *
 * <p>May import {@code config}, {@code data}, {@code io}, {@code mine}, {@code model}, {@code random}, {@code util};
 * never a recipe ({@code dpr}, {@code ance}, {@code condenser}, {@code rerank}, {@code rocketqa}): recipes import it.
 */
package dev.quarry.train;
