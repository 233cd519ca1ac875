/**
 * RocketQA's judging roles and their contract: {@link dev.quarry.rerank.PairJudge} (anything that scores
 * query-passage pairs and gives calibrated probabilities), the cross-encoder and its calibration, reranking,
 * denoising, data augmentation, unlabeled queries (titles or a user's file) and teacher scores on training groups.
 * May import {@code data}, {@code io}, {@code mine}, {@code model}, {@code util}; it imports no recipe package and
 * nothing that imports it ({@code teacher}, {@code pipeline}, {@code cli}, {@code train}).
 */
package dev.quarry.rerank;
