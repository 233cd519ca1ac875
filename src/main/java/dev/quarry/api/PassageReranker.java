package dev.quarry.api;

import dev.quarry.data.Passage;
import dev.quarry.model.InferenceEngine;
import dev.quarry.rerank.CrossEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A trained cross-encoder for Java callers: scores query-passage pairs, reorders hits. Thread-safe: forward passes
 * run one at a time. Close it to free the model.
 */
public final class PassageReranker implements AutoCloseable {
  static final int BATCH_SIZE = 32;

  private final CrossEncoder model;

  private PassageReranker(CrossEncoder model) {
    this.model = model;
  }

  static PassageReranker load(Path dir, InferenceEngine engine) {
    if (!CrossEncoder.isCrossEncoder(dir)) {
      throw new IllegalArgumentException(dir + " is not a cross-encoder (train one with quarry train-reranker)");
    }
    return new PassageReranker(CrossEncoder.load(dir, engine));
  }

  /** The model, for {@link SearchIndex#rerank}. */
  CrossEncoder model() {
    return model;
  }

  /** Relevance scores (logits) of {@code query} with each passage text, in order. */
  public synchronized float[] score(String query, List<String> passages) {
    return model.score(passages.stream().map(p -> query).toList(), passages, BATCH_SIZE);
  }

  /** Relevance probabilities (the model's calibration applied to {@link #score}). */
  public double probability(float score) {
    return model.probability(score);
  }

  /** The hits reordered by score, best first (ties keep their order), renumbered, with the reranker's scores. */
  public List<Hit> rerank(String query, List<Hit> hits) {
    float[] scores = score(query, hits.stream().map(h -> new Passage(h.id(), h.title(), h.text()).titleAndText()).toList());
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < hits.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingDouble((Integer i) -> -scores[i]));
    List<Hit> out = new ArrayList<>(hits.size());
    for (int i : order) {
      Hit h = hits.get(i);
      out.add(new Hit(out.size() + 1, h.id(), scores[i], h.title(), h.text()));
    }
    return out;
  }

  @Override
  public synchronized void close() {
    model.close();
  }
}
