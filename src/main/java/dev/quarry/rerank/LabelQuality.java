package dev.quarry.rerank;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.data.Qrels;
import dev.quarry.data.ScoredDoc;
import dev.quarry.io.JsonLines;
import dev.quarry.util.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How far a judge's labels can be trusted, measured where the truth is known: RocketQA labels retrieved pairs of
 * unlabeled queries (a pair with probability at least a threshold becomes a positive; one below the denoising
 * threshold a negative), so here the judge labels the retrieved pairs of labeled queries, and its labels are scored
 * against their qrels. For each threshold t: positive labels ({@code p >= t}) with their precision (the share judged
 * relevant) and recall (the share of the judged-relevant retrieved pairs so labeled), and negative labels
 * ({@code p < t}) with their precision (the share not judged relevant) and recall (the share of the others so
 * labeled). Unjudged passages count as not relevant, as in evaluation, so on sparse qrels (one or two judged passages
 * a query) positive precision is a lower bound.
 */
public final class LabelQuality {
  private LabelQuality() {
  }

  /** The labels at one threshold, counted against the qrels. */
  public record Row(double threshold, int positives, int truePositives, int negatives, int trueNegatives,
      int relevant, int pairs) {
    public double positivePrecision() {
      return positives == 0 ? Double.NaN : (double) truePositives / positives;
    }

    public double positiveRecall() {
      return relevant == 0 ? Double.NaN : (double) truePositives / relevant;
    }

    public double negativePrecision() {
      return negatives == 0 ? Double.NaN : (double) trueNegatives / negatives;
    }

    public double negativeRecall() {
      int irrelevant = pairs - relevant;
      return irrelevant == 0 ? Double.NaN : (double) trueNegatives / irrelevant;
    }
  }

  /** A measurement: the queries and pairs judged and one row per threshold, ascending. */
  public record Report(int queries, int pairs, int relevant, List<Row> rows) {
    public ObjectNode toJson() {
      ObjectNode o = JsonLines.MAPPER.createObjectNode();
      o.put("queries", queries);
      o.put("pairs", pairs);
      o.put("judged_relevant_pairs", relevant);
      ArrayNode a = o.putArray("thresholds");
      for (Row r : rows) {
        ObjectNode x = a.addObject();
        x.put("threshold", r.threshold());
        x.put("positive_labels", r.positives());
        x.put("positive_precision", r.positivePrecision());
        x.put("positive_recall", r.positiveRecall());
        x.put("negative_labels", r.negatives());
        x.put("negative_precision", r.negativePrecision());
        x.put("negative_recall", r.negativeRecall());
      }
      return o;
    }

    /** The report as a text table. */
    public String table() {
      StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
          "%d queries, %d retrieved pairs, %d judged relevant%n%9s  %8s %9s %9s  %8s %9s %9s%n", queries, pairs,
          relevant, "threshold", "p>=t", "precision", "recall", "p<t", "precision", "recall"));
      for (Row r : rows) {
        sb.append(String.format(Locale.ROOT, "%9.2f  %8d %9.4f %9.4f  %8d %9.4f %9.4f%n", r.threshold(),
            r.positives(), r.positivePrecision(), r.positiveRecall(), r.negatives(), r.negativePrecision(),
            r.negativeRecall()));
      }
      return sb.toString();
    }
  }

  /**
   * Scores every candidate pair (each query's top depth) with {@code judge} and counts its labels at each threshold
   * against {@code qrels} (relevance above 0 is relevant).
   */
  public static Report measure(PairJudge judge, Candidates candidates, Qrels qrels, List<Double> thresholds,
      Progress progress) {
    List<Double> sorted = thresholds.stream().sorted().toList();
    for (double t : sorted) {
      if (!(t > 0 && t < 1)) {
        throw new IllegalArgumentException("thresholds are probabilities in (0, 1); found " + t);
      }
    }
    List<double[]> scored = new ArrayList<>();   // {probability, relevant}
    try (Progress.Task task = progress.start("label", candidates.queryIds().size())) {
      for (String q : candidates.queryIds()) {
        float[] scores = candidates.score(judge, q);
        List<ScoredDoc> top = candidates.top(q);
        for (int i = 0; i < scores.length; i++) {
          boolean relevant = qrels.relevance(q, top.get(i).docId()).orElse(0) > 0;
          scored.add(new double[] {judge.probability(scores[i]), relevant ? 1 : 0});
        }
        task.step(1);
      }
    }
    int relevant = (int) scored.stream().filter(s -> s[1] > 0).count();
    List<Row> rows = new ArrayList<>();
    for (double t : sorted) {
      int pos = 0;
      int tp = 0;
      int neg = 0;
      int tn = 0;
      for (double[] s : scored) {
        if (s[0] >= t) {
          pos++;
          tp += s[1] > 0 ? 1 : 0;
        } else {
          neg++;
          tn += s[1] > 0 ? 0 : 1;
        }
      }
      rows.add(new Row(t, pos, tp, neg, tn, relevant, scored.size()));
    }
    return new Report(candidates.queryIds().size(), scored.size(), relevant, List.copyOf(rows));
  }
}
