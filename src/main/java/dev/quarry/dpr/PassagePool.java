package dev.quarry.dpr;

import dev.quarry.data.Passage;
import dev.quarry.mine.TrainGroup;
import dev.quarry.random.SplitMix64;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The texts of one training step: each group's query, one of its positives and its first {@code n} negatives, with
 * the passages of the whole step gathered into one pool in which every passage appears once.
 *
 * <p>Two rules keep the in-batch negatives honest. A passage drawn by several queries (on SQuAD several questions
 * share a paragraph) is one row, which every one of them points at. And a row that is a known positive of a query,
 * other than the positive chosen for it, is excluded from that query's softmax instead of being pushed away as a
 * negative.
 *
 * @param queries the query texts, in group order
 * @param passages the pool's passage texts ({@link Passage#titleAndText()}), in first-drawn order
 * @param ids the pool's passage ids, row by row
 * @param positives for each query, the row of its chosen positive
 * @param excluded for each query, the rows of its other positives that are in the pool
 * @param mined for each query, the rows of its mined negatives (from the training groups file)
 * @param extra for each query, the rows of the further negatives given to {@link #of(List, int, List, SplitMix64)}
 *     (ANCE's, drawn from a refreshed index)
 */
public record PassagePool(List<String> queries, List<String> passages, List<String> ids, int[] positives,
    int[][] excluded, int[][] mined, int[][] extra) {

  /**
   * Builds the pool of {@code groups}; {@code random} picks each query's positive among its positives.
   *
   * @throws IllegalArgumentException naming the query when a group has fewer than {@code negativesPerQuery}
   *     negatives
   */
  public static PassagePool of(List<TrainGroup> groups, int negativesPerQuery, SplitMix64 random) {
    return of(groups, negativesPerQuery, List.of(), random);
  }

  /**
   * The pool of {@code groups} with, for each group, the further negatives {@code extra.get(i)} after its mined ones
   * ({@code extra} empty: none). The caller keeps a query's positives out of its own extra negatives.
   */
  public static PassagePool of(List<TrainGroup> groups, int negativesPerQuery, List<List<Passage>> extra,
      SplitMix64 random) {
    if (!extra.isEmpty() && extra.size() != groups.size()) {
      throw new IllegalArgumentException(groups.size() + " groups but " + extra.size() + " extra negative lists");
    }
    Map<String, Integer> rows = new LinkedHashMap<>();
    List<String> texts = new ArrayList<>();
    List<String> queries = new ArrayList<>();
    int[] positives = new int[groups.size()];
    int[][] minedRows = new int[groups.size()][];
    int[][] extraRows = new int[groups.size()][];
    for (int i = 0; i < groups.size(); i++) {
      TrainGroup g = groups.get(i);
      if (g.negatives().size() < negativesPerQuery) {
        throw new IllegalArgumentException("query " + g.queryId() + " has " + g.negatives().size()
            + " negatives; data.negatives_per_query is " + negativesPerQuery);
      }
      queries.add(g.query());
      positives[i] = row(g.positives().get(random.nextInt(g.positives().size())), rows, texts);
      minedRows[i] = new int[negativesPerQuery];
      for (int j = 0; j < negativesPerQuery; j++) {
        minedRows[i][j] = row(g.negatives().get(j).passage(), rows, texts);
      }
      List<Passage> more = extra.isEmpty() ? List.of() : extra.get(i);
      extraRows[i] = new int[more.size()];
      for (int j = 0; j < more.size(); j++) {
        extraRows[i][j] = row(more.get(j), rows, texts);
      }
    }
    int[][] excluded = new int[groups.size()][];
    for (int i = 0; i < groups.size(); i++) {
      Set<Integer> other = new HashSet<>();
      for (Passage p : groups.get(i).positives()) {
        Integer r = rows.get(p.id());
        if (r != null && r != positives[i]) {
          other.add(r);
        }
      }
      excluded[i] = other.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
    return new PassagePool(List.copyOf(queries), List.copyOf(texts), List.copyOf(rows.keySet()), positives, excluded,
        minedRows, extraRows);
  }

  /**
   * The distillation targets of the pool: for each query, the rows of its positive and its mined negatives, and the
   * teacher's scores of them from its group.
   *
   * @throws IllegalArgumentException naming the query when its group lacks a teacher score for one of them
   */
  public ContrastiveStep.Distillation distillation(List<TrainGroup> groups) {
    int[][] rows = new int[positives.length][];
    float[][] teacher = new float[positives.length][];
    for (int i = 0; i < positives.length; i++) {
      rows[i] = new int[1 + mined[i].length];
      teacher[i] = new float[rows[i].length];
      rows[i][0] = positives[i];
      System.arraycopy(mined[i], 0, rows[i], 1, mined[i].length);
      TrainGroup g = groups.get(i);
      for (int j = 0; j < rows[i].length; j++) {
        Double score = g.teacherScores().get(ids.get(rows[i][j]));
        if (score == null) {
          throw new IllegalArgumentException("distillation needs teacher scores, but query " + g.queryId()
              + " has none for passage " + ids.get(rows[i][j]) + " (the RocketQA pipeline writes teacher_score into "
              + "the groups of a stage with a distillation section)");
        }
        teacher[i][j] = score.floatValue();
      }
    }
    return new ContrastiveStep.Distillation(rows, teacher);
  }

  private static int row(Passage p, Map<String, Integer> rows, List<String> texts) {
    return rows.computeIfAbsent(p.id(), id -> {
      texts.add(p.titleAndText());
      return texts.size() - 1;
    });
  }
}
