/**
 * Every random choice Quarry makes: {@link dev.quarry.random.SplitMix64} (Vigna's generator, the same sequence on
 * every JVM) and {@link dev.quarry.random.TrainingSeeds}, which derives a seed from a run's seed, a
 * {@link dev.quarry.random.RandomPurpose} (a stream with a stable id) and the coordinates of the choice (epoch, step,
 * chunk), so a resumed run repeats the uninterrupted one. Imports nothing of Quarry's.
 */
package dev.quarry.random;
