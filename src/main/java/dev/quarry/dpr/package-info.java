/**
 * DPR's dual-encoder recipe (Karpukhin et al. 2020) and what extends it in place: the YAML config
 * ({@link dev.quarry.dpr.TrainConfig}, read by {@link dev.quarry.dpr.TrainConfigLoader}), the trainer
 * ({@link dev.quarry.dpr.DprTrainer}), the contrastive step with in-batch negatives, optional gradient caching and
 * listwise distillation ({@link dev.quarry.dpr.ContrastiveStep}), the step's passage pool, and where a step's
 * negatives come from besides the mined ones ({@link dev.quarry.dpr.NegativeSource}): none, or ANCE's from a refreshed
 * index when the config has an {@code ance} section ({@link dev.quarry.dpr.AnceNegativeSource}, which drives
 * {@code dev.quarry.ance}). May import {@code train} and every library package below it ({@code ance}, {@code dense},
 * {@code eval}, {@code index}, {@code loss}, {@code mine}, {@code model}, ...); only {@code rocketqa} and {@code cli}
 * import it.
 */
package dev.quarry.dpr;
