package dev.quarry.teacher;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.data.Dataset;
import dev.quarry.data.Qrels;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import dev.quarry.eval.EvalConfig;
import dev.quarry.eval.Evaluator;
import dev.quarry.eval.Metric;
import dev.quarry.io.JsonLines;
import dev.quarry.mine.DevSplit;
import dev.quarry.rerank.Calibration;
import dev.quarry.train.DevSplitConfig;
import dev.quarry.util.Progress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Fits a fusion teacher on the dev queries carved from a training split ({@link #devQueries}, the trainers' rule): the
 * dev pairs are, per dev query, the union of every member's top {@code pool_depth}; every weight vector of the grid
 * (non-negative multiples of {@code weight_step} summing to 1) fuses their normalized scores, and the one with the
 * best dev nDCG@10 is kept; on a tie, the one nearest equal weights (dev cannot tell them apart, so no member is
 * favoured). The calibration (Platt scaling, {@link Calibration})
 * is fitted on the same pairs' fused scores and labels. Nothing of the test split is read.
 */
public final class TeacherFit {
  private static final Metric NDCG10 = Metric.parse("ndcg@10");

  private TeacherFit() {
  }

  /** One dev query's pool: its candidates, their relevance and each member's normalized scores. */
  private record Pool(String queryId, List<String> docIds, boolean[] relevant, float[][] features) {
  }

  /**
   * The queries a teacher is fitted on: carved by the trainers' rule from the split's queries with a relevant judgment
   * (a query judged only not relevant has no training group, and nothing to fit), so a pipeline's dual encoders and its
   * teacher carve the same dev queries.
   */
  public static List<Query> devQueries(DevSplitConfig config, Dataset dataset, String split) {
    Qrels qrels = dataset.qrels(split);
    List<Query> judged = dataset.queries(split).stream()
        .filter(q -> !qrels.relevant(q.id()).isEmpty()).toList();
    DevSplit carve = DevSplit.carveQueries(judged, Math.min(config.queries(), judged.size()), config.seed());
    return DevSplit.select(judged, carve.dev());
  }

  public static FittedTeacher fit(TeacherConfig config, Dataset dataset, String split, Path cacheRoot,
      Progress progress) {
    List<Query> dev = devQueries(config.dev(), dataset, split);
    Qrels qrels = dataset.qrels(split).restrictTo(new HashSet<>(dev.stream().map(Query::id).toList()));
    List<Pool> pools = new ArrayList<>();
    List<TeacherMember> members = Teacher.openMembers(config.members(), dataset, cacheRoot, progress);
    try (Progress.Task task = progress.start("teacher dev pairs", dev.size())) {
      for (Query q : dev) {
        Set<String> pool = new LinkedHashSet<>();
        for (TeacherMember m : members) {
          m.score(q, List.of(), config.poolDepth()).top().forEach(d -> pool.add(d.docId()));
        }
        List<String> ids = List.copyOf(pool);
        boolean[] relevant = new boolean[ids.size()];
        for (int i = 0; i < relevant.length; i++) {
          relevant[i] = qrels.relevance(q.id(), ids.get(i)).orElse(0) >= 1;
        }
        pools.add(new Pool(q.id(), ids, relevant, Teacher.features(members, config.normalizationDepth(), q, ids)));
        task.step();
      }
    } finally {
      members.forEach(TeacherMember::close);
    }
    int m = config.members().size();
    List<double[]> grid = grid(m, (int) Math.round(1 / config.weightStep()));
    double[] best = null;
    double bestNdcg = Double.NEGATIVE_INFINITY;
    try (Progress.Task task = progress.start("teacher weights", grid.size())) {
      for (double[] w : grid) {
        double ndcg = devNdcg(pools, w, qrels);
        if (ndcg > bestNdcg + 1e-12
            || (ndcg > bestNdcg - 1e-12 && distanceToEqual(w) < distanceToEqual(best) - 1e-12)) {
          bestNdcg = Math.max(bestNdcg, ndcg);
          best = w;
        }
        task.step();
      }
    }
    ObjectNode report = JsonLines.MAPPER.createObjectNode();
    report.put("split", split).put("queries", dev.size()).put("seed", config.dev().seed())
        .put("pool_depth", config.poolDepth()).put("weight_step", config.weightStep());
    ObjectNode ndcg = report.putObject("ndcg@10");
    for (int i = 0; i < m; i++) {
      double[] alone = new double[m];
      alone[i] = 1;
      ndcg.put(config.members().get(i), devNdcg(pools, alone, qrels));
    }
    double[] equal = new double[m];
    java.util.Arrays.fill(equal, 1.0 / m);
    ndcg.put("equal", devNdcg(pools, equal, qrels));
    ndcg.put("chosen", bestNdcg);
    Calibration calibration = calibrate(pools, best);
    report.put("pairs", calibration.pairs()).put("positives", calibration.positives());
    return new FittedTeacher(config.members(), best, config.normalizationDepth(), calibration, report);
  }

  /** How far weights are from equal ones (squared Euclidean): ties on dev go to the more even weights. */
  private static double distanceToEqual(double[] w) {
    double d = 0;
    for (double x : w) {
      d += (x - 1.0 / w.length) * (x - 1.0 / w.length);
    }
    return d;
  }

  private static double devNdcg(List<Pool> pools, double[] weights, Qrels qrels) {
    Run.Builder run = Run.builder("teacher");
    for (Pool p : pools) {
      float[] fused = Teacher.fuse(p.features(), weights);
      List<ScoredDoc> docs = new ArrayList<>(fused.length);
      for (int i = 0; i < fused.length; i++) {
        docs.add(new ScoredDoc(p.docIds().get(i), fused[i]));
      }
      run.put(p.queryId(), docs);
    }
    return new Evaluator(EvalConfig.DEFAULT).evaluate(qrels, run.build(), List.of(NDCG10)).mean(NDCG10);
  }

  private static Calibration calibrate(List<Pool> pools, double[] weights) {
    int n = pools.stream().mapToInt(p -> p.docIds().size()).sum();
    float[] scores = new float[n];
    boolean[] labels = new boolean[n];
    int at = 0;
    for (Pool p : pools) {
      float[] fused = Teacher.fuse(p.features(), weights);
      System.arraycopy(fused, 0, scores, at, fused.length);
      System.arraycopy(p.relevant(), 0, labels, at, fused.length);
      at += fused.length;
    }
    return Calibration.fit(scores, labels);
  }

  /** Every vector of {@code members} non-negative multiples of {@code 1/steps} summing to 1, in lexicographic order. */
  static List<double[]> grid(int members, int steps) {
    List<double[]> out = new ArrayList<>();
    fill(new int[members], 0, steps, steps, out);
    return out;
  }

  private static void fill(int[] parts, int at, int left, int steps, List<double[]> out) {
    if (at == parts.length - 1) {
      parts[at] = left;
      double[] w = new double[parts.length];
      for (int i = 0; i < w.length; i++) {
        w[i] = (double) parts[i] / steps;
      }
      out.add(w);
      return;
    }
    for (int k = 0; k <= left; k++) {
      parts[at] = k;
      fill(parts, at + 1, left - k, steps, out);
    }
  }
}
