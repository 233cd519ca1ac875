package dev.quarry.mine;

import dev.quarry.data.Passage;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One training example for a retriever: a query, its positive passages and its negatives, with titles and texts so
 * training needs no corpus lookup. Stored as one line of {@link TrainGroupFormat}.
 *
 * @param queryId the query's id in its dataset
 * @param query the query text
 * @param positives passages relevant to the query, at least one, distinct ids
 * @param negatives passages used as not relevant, possibly none; distinct ids, none of them a positive
 * @param teacherScores a teacher's score of some of its passages, by id (empty when no teacher scored it); used by
 *     listwise distillation
 */
public record TrainGroup(String queryId, String query, List<Passage> positives, List<Negative> negatives,
    Map<String, Double> teacherScores) {
  /** A group without teacher scores. */
  public TrainGroup(String queryId, String query, List<Passage> positives, List<Negative> negatives) {
    this(queryId, query, positives, negatives, Map.of());
  }

  public TrainGroup {
    Objects.requireNonNull(queryId, "queryId");
    Objects.requireNonNull(query, "query");
    positives = List.copyOf(positives);
    negatives = List.copyOf(negatives);
    teacherScores = Map.copyOf(teacherScores);
    if (positives.isEmpty()) {
      throw new IllegalArgumentException("query " + queryId + " has no positives; a group needs at least one");
    }
    Set<String> ids = new HashSet<>();
    for (Passage p : positives) {
      if (!ids.add(p.id())) {
        throw new IllegalArgumentException("query " + queryId + " lists positive " + p.id() + " twice");
      }
    }
    Set<String> negativeIds = new HashSet<>();
    for (Negative n : negatives) {
      if (ids.contains(n.passage().id())) {
        throw new IllegalArgumentException("query " + queryId + " has " + n.passage().id()
            + " both as a positive and as a negative");
      }
      if (!negativeIds.add(n.passage().id())) {
        throw new IllegalArgumentException("query " + queryId + " lists negative " + n.passage().id() + " twice");
      }
    }
    for (Map.Entry<String, Double> e : teacherScores.entrySet()) {
      if (!ids.contains(e.getKey()) && !negativeIds.contains(e.getKey())) {
        throw new IllegalArgumentException("query " + queryId + " has a teacher score for " + e.getKey()
            + ", which is none of its passages");
      }
      if (!Double.isFinite(e.getValue())) {
        throw new IllegalArgumentException("query " + queryId + " has a non-finite teacher score for " + e.getKey());
      }
    }
  }

  /** The same group with the teacher's scores of its passages (by passage id). */
  public TrainGroup withTeacherScores(Map<String, Double> scores) {
    return new TrainGroup(queryId, query, positives, negatives, scores);
  }

  /**
   * A negative passage and where it came from.
   *
   * @param passage the passage (id, title, text)
   * @param source what produced it: the run's source name ({@code bm25}, {@code dense}, ...) or
   *     {@value MiningConfig#RANDOM_SOURCE}; not blank
   * @param rank its 1-based rank in the candidate run, in trec_eval's order; null for a random negative
   * @param score its score in the candidate run, finite; null for a random negative
   */
  public record Negative(Passage passage, String source, Integer rank, Double score) {
    public Negative {
      Objects.requireNonNull(passage, "passage");
      if (source == null || source.isBlank()) {
        throw new IllegalArgumentException("negative " + passage.id() + " needs a non-blank source");
      }
      if (rank != null && rank < 1) {
        throw new IllegalArgumentException("rank of negative " + passage.id() + " must be >= 1 or null; rank=" + rank);
      }
      if (score != null && !Double.isFinite(score)) {
        throw new IllegalArgumentException("score of negative " + passage.id() + " must be finite or null; score="
            + score);
      }
    }

    /** A negative from the run: its rank and score there. */
    public static Negative ranked(Passage passage, String source, int rank, double score) {
      return new Negative(passage, source, rank, score);
    }

    /** A negative drawn from the whole corpus, with no rank or score. */
    public static Negative random(Passage passage) {
      return new Negative(passage, MiningConfig.RANDOM_SOURCE, null, null);
    }
  }
}
