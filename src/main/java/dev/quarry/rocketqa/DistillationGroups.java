package dev.quarry.rocketqa;

import dev.quarry.data.Dataset;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import dev.quarry.mine.QuerySeeds;
import dev.quarry.mine.TrainGroup;
import dev.quarry.rerank.Candidates;
import dev.quarry.rerank.GroupScoring;
import dev.quarry.rerank.PairJudge;
import dev.quarry.util.Progress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Training groups for distillation from queries nobody judged (a query log, or pseudo-queries): augmentation without
 * thresholds. Each query's top {@code depth} candidates of a run are scored by a judge; the judge's best candidate
 * becomes the group's positive, {@code negativesPerQuery} of the others are sampled (seeded per query id, as
 * {@code quarry mine} does) and kept in rank order, and every passage of the group carries the judge's score as its
 * {@code teacher_score}, which a {@code distillation} section trains on. Unlike {@link Augmenter}, no query is
 * dropped for want of a confident label: what the student learns is the judge's whole distribution over the
 * candidates, and the positive only names its mode. A query with fewer than {@code 1 + negativesPerQuery}
 * candidates yields no group.
 */
public final class DistillationGroups {
  private DistillationGroups() {
  }

  /** The groups, and how many queries had too few candidates for one (none at all where the run lacks them). */
  public record Result(List<TrainGroup> groups, int shortOfCandidates) {
  }

  /**
   * The groups, with the judge's scores kept in (and read back from) {@code cache} ({@link GroupScoring}'s cache
   * format), so a killed run resumes without scoring again.
   *
   * @param judgeFingerprint identifies the judge in the cache ({@code Judges#fingerprint})
   * @param source the name written on the negatives (the run's retriever, such as {@code bm25})
   */
  public static Result build(PairJudge judge, String judgeFingerprint, List<Query> queries, Dataset dataset, Run run,
      String source, int depth, int negativesPerQuery, long seed, Path cache, Progress progress) {
    if (negativesPerQuery <= 0) {
      throw new IllegalArgumentException("negativesPerQuery must be positive; negativesPerQuery=" + negativesPerQuery);
    }
    if (depth < 1 + negativesPerQuery) {
      throw new IllegalArgumentException("depth (" + depth + ") must be at least 1 + negativesPerQuery ("
          + (1 + negativesPerQuery) + "): a group is the judge's best candidate and " + negativesPerQuery + " others");
    }
    // the run may rank more queries than asked for (a run of a whole query log, sampled with a count)
    Set<String> ids = new HashSet<>();
    queries.forEach(q -> ids.add(q.id()));
    Run asked = run.restrictTo(ids);
    Candidates candidates = Candidates.of(queries, "the unlabeled queries", dataset, asked, depth);
    List<TrainGroup> all = new ArrayList<>();
    int shortOfCandidates = queries.size() - candidates.queryIds().size();   // not ranked by the run at all
    for (String q : candidates.queryIds()) {
      List<ScoredDoc> top = candidates.top(q);
      if (top.size() < 1 + negativesPerQuery) {
        shortOfCandidates++;
        continue;
      }
      List<TrainGroup.Negative> rest = new ArrayList<>();
      for (int i = 1; i < top.size(); i++) {
        rest.add(TrainGroup.Negative.ranked(candidates.passage(top.get(i).docId()), source, i + 1, top.get(i).score()));
      }
      all.add(new TrainGroup(q, candidates.query(q), List.of(candidates.passage(top.get(0).docId())), rest));
    }
    List<TrainGroup> scored = GroupScoring.score(judge, judgeFingerprint, all, cache, progress);
    List<TrainGroup> groups = new ArrayList<>(scored.size());
    for (TrainGroup g : scored) {
      double firstScore = candidates.top(g.queryId()).get(0).score();
      groups.add(fromScored(g, firstScore, source, negativesPerQuery, seed));
    }
    return new Result(List.copyOf(groups), shortOfCandidates);
  }

  /**
   * A query's group from all its candidates scored ({@code scored}: rank 1 as its positive, ranks 2.. as negatives,
   * every passage with a teacher score; {@code firstScore} is rank 1's score in the run): the best-scored candidate (the better rank on a tie) as the positive,
   * {@code n} of the others sampled and kept in rank order.
   */
  static TrainGroup fromScored(TrainGroup scored, double firstScore, String source, int n, long seed) {
    List<TrainGroup.Negative> ranked = new ArrayList<>();
    ranked.add(TrainGroup.Negative.ranked(scored.positives().get(0), source, 1, firstScore));
    ranked.addAll(scored.negatives());
    Map<String, Double> scores = scored.teacherScores();
    int best = 0;
    for (int i = 1; i < ranked.size(); i++) {
      if (scores.get(ranked.get(i).passage().id()) > scores.get(ranked.get(best).passage().id())) {
        best = i;
      }
    }
    Passage positive = ranked.get(best).passage();
    List<TrainGroup.Negative> others = new ArrayList<>(ranked);
    others.remove(best);
    List<TrainGroup.Negative> negatives = Augmenter.sample(others, n, QuerySeeds.forQuery(seed, scored.queryId()));
    Map<String, Double> teacher = new HashMap<>();
    teacher.put(positive.id(), scores.get(positive.id()));
    negatives.forEach(neg -> teacher.put(neg.passage().id(), scores.get(neg.passage().id())));
    return new TrainGroup(scored.queryId(), scored.query(), List.of(positive), negatives, teacher);
  }
}
