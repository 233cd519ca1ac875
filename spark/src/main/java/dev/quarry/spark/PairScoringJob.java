package dev.quarry.spark;

import dev.quarry.data.Dataset;
import dev.quarry.data.DatasetFormat;
import dev.quarry.data.Datasets;
import dev.quarry.data.PassageStore;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import dev.quarry.model.InferenceEngine;
import dev.quarry.mine.TrainGroup;
import dev.quarry.rerank.Candidates;
import dev.quarry.rerank.GroupScoring;
import dev.quarry.rerank.Reranker;
import dev.quarry.teacher.Judges;
import dev.quarry.util.Progress;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A run's top pairs scored by a judge (a cross-encoder, or a teacher folder from {@code quarry teacher}) in Spark
 * tasks, each over a slice of the run's queries: the judge loaded once per worker, the passages read by id from the
 * corpus's {@link PassageStore}, each query reranked by {@link Reranker} exactly as {@code quarry rerank} reranks it
 * (a query's pairs are scored together, never with another query's). The merged run lists the queries in the input
 * run's order, so it equals {@code quarry rerank}'s output; it is what denoising (RocketQA) and distillation read.
 */
public final class PairScoringJob {
  private PairScoringJob() {
  }

  /**
   * A judge as the tasks open it: a cross-encoder or teacher folder over a dataset's corpus, as plain values.
   * {@code threads}: the engine threads, or null for its default.
   */
  public record Judge(String model, int batchSize, InferenceEngine engine, String dataset, DatasetFormat format,
      String cacheRoot, String threads) implements Serializable {
    /** This worker's copy, opened on first use; callers take turns on it ({@code synchronized}). */
    Judges.Opened open() {
      return WorkerResources.judge(model, batchSize, engine, dataset, format, cacheRoot, threads);
    }
  }

  /** A rerank: the judge, the split the run's queries come from, the depth to score and the output run's tag. */
  public record Request(Judge judge, String split, int top, String tag) implements Serializable {
  }

  /** {@code run}'s queries reranked in {@code parts} slices. */
  public static Run run(JavaSparkContext spark, Request request, Run run, int parts) {
    Dataset dataset = Datasets.open(Path.of(request.judge().dataset()), request.judge().format());
    Set<String> known = new HashSet<>();
    for (Query q : dataset.queries(request.split())) {
      known.add(q.id());
    }
    List<String> order = new ArrayList<>(run.queryIds());
    for (String q : order) {
      if (!known.contains(q)) {
        throw new IllegalArgumentException("the run has query " + q + ", which split " + request.split() + " of "
            + dataset.root() + " does not have");
      }
    }
    List<Map<String, List<ScoredDoc>>> slices = new ArrayList<>();
    int n = Math.max(1, Math.min(parts, order.size()));
    for (int p = 0; p < n; p++) {
      Map<String, List<ScoredDoc>> slice = new LinkedHashMap<>();
      for (String q : order.subList((int) ((long) order.size() * p / n), (int) ((long) order.size() * (p + 1) / n))) {
        slice.put(q, new ArrayList<>(run.docs(q)));
      }
      slices.add(slice);
    }
    try {
      Map<String, List<ScoredDoc>> scored = new LinkedHashMap<>();
      for (Map<String, List<ScoredDoc>> part : TaskFailures.unwrapped(() -> spark.parallelize(slices, slices.size())
          .map(slice -> scoreSlice(request, slice)).collect())) {
        scored.putAll(part);
      }
      Run.Builder out = Run.builder(request.tag());
      for (String q : order) {
        out.put(q, scored.get(q));
      }
      return out.build();
    } finally {
      WorkerResources.closeAll();
    }
  }

  /** One task: a slice of the run, reranked. */
  static Map<String, List<ScoredDoc>> scoreSlice(Request request, Map<String, List<ScoredDoc>> slice) {
    Judge j = request.judge();
    Dataset dataset = Datasets.open(Path.of(j.dataset()), j.format());
    PassageStore store = WorkerResources.passages(j.dataset(), j.format(), j.cacheRoot());
    Run.Builder part = Run.builder(request.tag());
    slice.forEach(part::put);
    Candidates candidates = Candidates.of(dataset.queries(request.split()), "split " + request.split() + " of "
        + dataset.root(), store::find, "the corpus of " + dataset.root(), part.build(), request.top());
    Judges.Opened judge = j.open();
    Run reranked;
    synchronized (judge) {
      reranked = new Reranker(judge.judge()).rerank(candidates, request.tag(), Progress.NONE);
    }
    Map<String, List<ScoredDoc>> out = new LinkedHashMap<>();
    for (String q : reranked.queryIds()) {
      out.put(q, new ArrayList<>(reranked.docs(q)));
    }
    return out;
  }

  /**
   * Training groups with a judge's score on every passage, the missing pairs (those the cache beside the output
   * lacks) scored by Spark tasks in {@code parts} slices of queries: the groups and the cache {@code quarry
   * score-groups} writes ({@link GroupScoring}: one place decides what is missing and how it is written).
   */
  public static List<TrainGroup> scoreGroups(JavaSparkContext spark, Judge judge, List<TrainGroup> groups, Path cache,
      int parts, Progress progress) {
    try {
      return GroupScoring.score(groups, cache, Judges.fingerprint(Path.of(judge.model())), (missing, task) -> {
        List<List<GroupScoring.Missing>> slices = new ArrayList<>();
        int n = Math.max(1, Math.min(parts, missing.size()));
        for (int p = 0; p < n; p++) {
          slices.add(new ArrayList<>(missing.subList((int) ((long) missing.size() * p / n),
              (int) ((long) missing.size() * (p + 1) / n))));
        }
        List<float[]> scores = new ArrayList<>(missing.size());
        for (List<float[]> slice : TaskFailures.unwrapped(() -> spark.parallelize(slices, slices.size())
            .map(slice -> scoreMissing(judge, slice)).collect())) {
          scores.addAll(slice);
        }
        task.step(missing.size());
        return scores;
      }, progress);
    } finally {
      WorkerResources.closeAll();
    }
  }

  /** One task: the missing pairs of a slice of queries, each query's scored together as the single node does. */
  static List<float[]> scoreMissing(Judge judge, List<GroupScoring.Missing> slice) {
    Judges.Opened opened = judge.open();
    List<float[]> out = new ArrayList<>(slice.size());
    synchronized (opened) {
      for (GroupScoring.Missing m : slice) {
        out.add(opened.judge().score(new Query(m.queryId(), m.query()), m.passages()));
      }
    }
    return out;
  }
}
