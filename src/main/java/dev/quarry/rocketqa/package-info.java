/**
 * RocketQA (Qu et al. 2021): the four-stage pipeline (MD0 -> MC -> MD1 -> MD2), its config and report, denoising of
 * hard negatives ({@link dev.quarry.rocketqa.Denoiser}) and data augmentation ({@link dev.quarry.rocketqa.Augmenter})
 * with the unlabeled queries they read (corpus-title pseudo-queries or a user's file). MC is a trained cross-encoder
 * or a fusion teacher. May import every library and recipe package ({@code dpr}, {@code rerank}, {@code teacher},
 * ...); only {@code cli} imports it.
 */
package dev.quarry.rocketqa;
