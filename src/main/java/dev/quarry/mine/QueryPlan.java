package dev.quarry.mine;

import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.eval.DprAnswerMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * What is being mined for one query: its positives, its eligible candidates from the run, its random stream and what
 * has been sampled so far. Everything random about the query comes from its own stream, in a fixed order (run
 * negatives first, then random ones), which is what makes the result independent of the other queries.
 */
final class QueryPlan {
  /** A document of the run within the rank range. */
  record Candidate(String docId, int rank, double score) {
  }

  final Query query;
  final List<String> positiveIds;
  final boolean inRun;
  final Random random;
  /** Answer tokens under {@link PositiveRule#ANSWERS}; null under {@link PositiveRule#QRELS}. */
  final List<List<String>> answerTokens;
  /** Candidates in the rank range that may become negatives, best rank first. */
  final List<Candidate> candidates = new ArrayList<>();
  final List<Candidate> chosen = new ArrayList<>();
  final List<Passage> randoms = new ArrayList<>();
  final Set<Integer> triedIndices = new HashSet<>();
  private final Set<String> excludedIds;

  QueryPlan(Query query, List<String> positiveIds, boolean inRun, Random random, List<List<String>> answerTokens) {
    this.query = query;
    this.positiveIds = List.copyOf(positiveIds);
    this.inRun = inRun;
    this.random = random;
    this.answerTokens = answerTokens;
    this.excludedIds = new HashSet<>(positiveIds);
  }

  boolean isPositive(String docId) {
    return excludedIds.contains(docId);
  }

  boolean containsAnswer(List<String> passageTokens) {
    return answerTokens != null && DprAnswerMatcher.hasAnswerTokens(answerTokens, passageTokens);
  }

  /** Samples {@code count} candidates uniformly without replacement (all when there are fewer), kept in rank order. */
  void chooseFromRun(int count) {
    List<Candidate> pool = new ArrayList<>(candidates);
    int n = Math.min(count, pool.size());
    for (int i = 0; i < n; i++) {   // partial Fisher-Yates: position i gets a uniform pick of the rest
      int j = i + random.nextInt(pool.size() - i);
      Candidate picked = pool.get(j);
      pool.set(j, pool.get(i));
      pool.set(i, picked);
      chosen.add(picked);
      excludedIds.add(picked.docId());
    }
    chosen.sort(Comparator.comparingInt(Candidate::rank));
  }

  /**
   * Draws up to {@code count} corpus positions this query has not tried yet, in its stream's order; fewer when the
   * corpus runs out.
   */
  List<Integer> drawIndices(int count, int corpusSize) {
    List<Integer> drawn = new ArrayList<>(count);
    while (drawn.size() < count && triedIndices.size() < corpusSize) {
      int index = random.nextInt(corpusSize);
      if (triedIndices.add(index)) {
        drawn.add(index);
      }
    }
    return drawn;
  }

  /** Whether a drawn passage may be a random negative: not a positive, not already a negative, without an answer. */
  boolean acceptsRandom(Passage passage) {
    return !excludedIds.contains(passage.id())
        && (answerTokens == null || !containsAnswer(DprAnswerMatcher.tokens(passage.text())));
  }

  void addRandom(Passage passage) {
    randoms.add(passage);
    excludedIds.add(passage.id());
  }
}
