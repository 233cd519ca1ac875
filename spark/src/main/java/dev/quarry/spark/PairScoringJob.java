package dev.quarry.spark;

import dev.quarry.data.Dataset;
import dev.quarry.data.DatasetFormat;
import dev.quarry.data.Datasets;
import dev.quarry.data.PassageStore;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import dev.quarry.model.InferenceEngine;
import dev.quarry.rerank.Candidates;
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

  /** What the tasks need, as plain values. {@code threads}: the engine threads, or null for its default. */
  public record Request(String dataset, DatasetFormat format, String split, String judge, int batchSize,
      InferenceEngine engine, String cacheRoot, int top, String tag, String threads) implements Serializable {
  }

  /** {@code run}'s queries reranked in {@code parts} slices. */
  public static Run run(JavaSparkContext spark, Request request, Run run, int parts) {
    Dataset dataset = Datasets.open(Path.of(request.dataset()), request.format());
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
      for (Map<String, List<ScoredDoc>> part : spark.parallelize(slices, slices.size())
          .map(slice -> scoreSlice(request, slice)).collect()) {
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
    Dataset dataset = Datasets.open(Path.of(request.dataset()), request.format());
    PassageStore store = WorkerResources.passages(request.dataset(), request.format(), request.cacheRoot());
    Run.Builder part = Run.builder(request.tag());
    slice.forEach(part::put);
    Candidates candidates = Candidates.of(dataset.queries(request.split()), "split " + request.split() + " of "
        + dataset.root(), store::find, "the corpus of " + dataset.root(), part.build(), request.top());
    Judges.Opened judge = WorkerResources.judge(request.judge(), request.batchSize(), request.engine(),
        request.dataset(), request.format(), request.cacheRoot(), request.threads());
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
}
