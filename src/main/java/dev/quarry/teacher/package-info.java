/**
 * Teachers: judges of query-passage pairs for RocketQA's roles (reranking, denoising, augmentation) built from
 * several scorers of the whole corpus (BM25 and dense retrievers), each normalized per query and fused with weights
 * chosen on the dev queries, then calibrated into probabilities. A teacher is a {@link dev.quarry.rerank.PairJudge},
 * as a trained cross-encoder is. May import {@code data}, {@code bm25}, {@code dense}, {@code vectors},
 * {@code model}, {@code eval}, {@code mine}, {@code rerank}, {@code io}, {@code util} and {@code train}'s config
 * reading; nothing imports it but {@code pipeline} and {@code cli}.
 */
package dev.quarry.teacher;
