package dev.quarry.rocketqa;

import dev.quarry.data.Dataset;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import dev.quarry.mine.QuerySeeds;
import dev.quarry.mine.TrainGroup;
import dev.quarry.rerank.Candidates;
import dev.quarry.rerank.CrossEncoder;
import dev.quarry.rerank.PairJudge;
import dev.quarry.util.Progress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * RocketQA's data augmentation: unlabeled queries, retrieved by a dual encoder, are labeled by a cross-encoder.
 * Within each query's top {@code depth}, passages with probability at least {@code positiveAbove} (0.9) become its
 * positives and passages below {@code negativeBelow} (0.1) its negative candidates, of which
 * {@code negativesPerQuery} are sampled (seeded per query id, as {@code quarry mine} does) and written best rank
 * first. A query without a confident positive, or without a confident negative, yields no group.
 */
public final class Augmenter {
  /** The source name written on augmented negatives. */
  public static final String SOURCE = "augmented";

  private final PairJudge model;

  public Augmenter(PairJudge model) {
    this.model = model;
  }

  /** With a cross-encoder scoring {@code batchSize} pairs a forward pass. */
  public Augmenter(CrossEncoder model, int batchSize) {
    this(model.judge(batchSize));
  }

  /** What augmentation produced, and how many queries yielded nothing. */
  public record Result(List<TrainGroup> groups, int withoutPositive, int withoutNegative) {
  }

  public Result augment(List<Query> queries, Dataset dataset, Run run, int depth, Denoiser.Thresholds thresholds,
      int negativesPerQuery, long seed, Progress progress) {
    Candidates candidates = Candidates.of(queries, "the unlabeled queries", dataset, run, depth);
    List<TrainGroup> groups = new ArrayList<>();
    int withoutPositive = 0;
    int withoutNegative = 0;
    try (Progress.Task task = progress.start("augment", candidates.queryIds().size())) {
      for (String q : candidates.queryIds()) {
        List<ScoredDoc> top = candidates.top(q);
        float[] logits = candidates.score(model, q);
        List<Passage> positives = new ArrayList<>();
        List<TrainGroup.Negative> negatives = new ArrayList<>();
        for (int i = 0; i < top.size(); i++) {
          double p = model.probability(logits[i]);
          Passage passage = candidates.passage(top.get(i).docId());
          if (p >= thresholds.positiveAbove()) {
            positives.add(passage);
          } else if (p < thresholds.negativeBelow()) {
            negatives.add(TrainGroup.Negative.ranked(passage, SOURCE, i + 1, p));
          }
        }
        task.step(1);
        if (positives.isEmpty()) {
          withoutPositive++;
          continue;
        }
        if (negatives.isEmpty()) {
          withoutNegative++;
          continue;
        }
        groups.add(new TrainGroup(q, candidates.query(q), positives,
            sample(negatives, negativesPerQuery, QuerySeeds.forQuery(seed, q))));
      }
    }
    return new Result(List.copyOf(groups), withoutPositive, withoutNegative);
  }

  /**
   * The labeled groups followed by {@code extra} copies drawn from {@code trainable} (the labeled groups a trainer
   * keeps: not dev, not short of negatives), in a seeded shuffle, cycled: augmentation's control, which trains on
   * labeled data alone for the steps an augmented mix gives. A copy's query id is the original's plus
   * {@value #COPY_MARK} and a number, so the trainer trains on it as it trains on an augmented group (never carving it
   * into dev) and the labeled queries' dev split stays the same.
   */
  public static List<TrainGroup> padded(List<TrainGroup> labeled, List<TrainGroup> trainable, int extra, long seed) {
    if (extra < 0) {
      throw new IllegalArgumentException("cannot pad with " + extra + " groups");
    }
    if (trainable.isEmpty() && extra > 0) {
      throw new IllegalArgumentException("no trainable labeled group to pad with");
    }
    List<TrainGroup> shuffled = new ArrayList<>(trainable);
    Collections.shuffle(shuffled, new Random(seed));
    List<TrainGroup> out = new ArrayList<>(labeled);
    for (int i = 0; i < extra; i++) {
      TrainGroup g = shuffled.get(i % shuffled.size());
      out.add(new TrainGroup(g.queryId() + COPY_MARK + (i / shuffled.size() + 1), g.query(), g.positives(),
          g.negatives(), g.teacherScores()));
    }
    return List.copyOf(out);
  }

  /** What marks a padding copy's query id. */
  public static final String COPY_MARK = "#copy";

  /** {@code n} of the candidates, sampled without replacement, kept in rank order. */
  static List<TrainGroup.Negative> sample(List<TrainGroup.Negative> candidates, int n, Random random) {
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      positions.add(i);
    }
    Collections.shuffle(positions, random);
    List<Integer> chosen = new ArrayList<>(positions.subList(0, Math.min(n, positions.size())));
    Collections.sort(chosen);
    return chosen.stream().map(candidates::get).toList();
  }

  /**
   * The augmented groups mixed into the labeled ones at a ratio: {@code round(ratio * labeled.size())} augmented
   * groups (all of them when there are fewer), chosen by {@code seed}, after the labeled ones.
   */
  public static List<TrainGroup> mix(List<TrainGroup> labeled, List<TrainGroup> augmented, double ratio, long seed) {
    if (!(ratio >= 0) || Double.isInfinite(ratio)) {
      throw new IllegalArgumentException("the augmentation ratio must be 0 or more; ratio=" + ratio);
    }
    List<TrainGroup> shuffled = new ArrayList<>(augmented);
    Collections.shuffle(shuffled, new Random(seed));
    int take = (int) Math.min(shuffled.size(), Math.round(ratio * labeled.size()));
    List<TrainGroup> out = new ArrayList<>(labeled);
    out.addAll(shuffled.subList(0, take));
    return List.copyOf(out);
  }
}
