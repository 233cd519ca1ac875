package dev.quarry.rerank;

import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import java.util.List;

/**
 * Whatever judges query-passage pairs for RocketQA's roles (reranking, denoising, augmentation): a trained
 * cross-encoder ({@link CrossEncoder#judge}) or a teacher built from several scorers ({@code dev.quarry.teacher}).
 * A score orders a query's passages (higher is more relevant); {@link #probability} turns it into a calibrated
 * relevance probability, which the RocketQA thresholds read.
 */
public interface PairJudge {
  /** Scores of {@code passages} for {@code query}, in their order. */
  float[] score(Query query, List<Passage> passages);

  /** The probability that a pair with this score is relevant. */
  double probability(float score);
}
