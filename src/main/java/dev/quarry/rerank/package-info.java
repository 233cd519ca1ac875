/**
 * Cross-encoders and the judging contract: {@link dev.quarry.rerank.PairJudge} (anything that scores query-passage
 * pairs and gives calibrated probabilities), the cross-encoder, its training config and trainer
 * ({@link dev.quarry.rerank.CrossEncoderTrainer}), calibration, reranking a run, and teacher scores on training
 * groups. May import {@code train}, {@code config}, {@code data}, {@code eval}, {@code io}, {@code loss},
 * {@code mine}, {@code model}, {@code random}, {@code util}; {@code teacher}, {@code rocketqa} and {@code cli} import
 * it.
 */
package dev.quarry.rerank;
