package dev.quarry.rocketqa;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.data.Dataset;
import dev.quarry.data.Qrels;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import dev.quarry.io.JsonLines;
import dev.quarry.rerank.Candidates;
import dev.quarry.rerank.CrossEncoder;
import dev.quarry.rerank.PairJudge;
import dev.quarry.util.Progress;
import java.util.ArrayList;
import java.util.List;

/**
 * RocketQA's denoised hard negatives: a cross-encoder scores the top {@code depth} of a retriever's ranking of the
 * training queries, and a retrieved passage stays a negative candidate only when the cross-encoder is confident it
 * is not relevant (calibrated probability, {@link CrossEncoder#probability}, below {@code negativeBelow}, 0.1 in
 * RocketQA); the rest are likely false negatives and are dropped. The result is a run holding, per query, its
 * labeled positives that were retrieved and the confident negatives, with their retrieval scores, so
 * {@code quarry mine} samples negatives from it as from any run (ranks are then those of the denoised run).
 *
 * <p>The report counts, per rank, the retrieved passages, those labeled positive, and among the unlabeled ones
 * those the cross-encoder judges positive (probability at least {@code positiveAbove}, 0.9) and those kept as
 * negatives: the paper's "denoised ratio" per rank.
 */
public final class Denoiser {
  private final PairJudge model;

  public Denoiser(PairJudge model) {
    this.model = model;
  }

  /** With a cross-encoder scoring {@code batchSize} pairs a forward pass. */
  public Denoiser(CrossEncoder model, int batchSize) {
    this(model.judge(batchSize));
  }

  /** The probability thresholds: below the first a passage is a confident negative, from the second a positive. */
  public record Thresholds(double negativeBelow, double positiveAbove) {
    public static final Thresholds ROCKETQA = new Thresholds(0.1, 0.9);

    public Thresholds {
      if (!(negativeBelow > 0 && negativeBelow <= positiveAbove && positiveAbove < 1)) {
        throw new IllegalArgumentException("thresholds must satisfy 0 < negative_below <= positive_above < 1; "
            + "negative_below=" + negativeBelow + ", positive_above=" + positiveAbove);
      }
    }
  }

  /** Per rank (1-based, index 0 is rank 1) counts of what the cross-encoder decided. */
  public record Report(long[] retrieved, long[] labeledPositive, long[] judgedPositive, long[] keptNegative) {
    /** The counts and ratios per rank, and their totals, as JSON. */
    public ObjectNode toJson() {
      ObjectNode o = JsonLines.MAPPER.createObjectNode();
      long r = 0;
      long l = 0;
      long j = 0;
      long k = 0;
      ArrayNode ranks = o.putArray("ranks");
      for (int i = 0; i < retrieved.length; i++) {
        long unlabeled = retrieved[i] - labeledPositive[i];
        ranks.addObject().put("rank", i + 1).put("retrieved", retrieved[i]).put("labeled_positive", labeledPositive[i])
            .put("judged_positive", judgedPositive[i]).put("kept_negative", keptNegative[i])
            .put("judged_positive_ratio", unlabeled == 0 ? 0 : (double) judgedPositive[i] / unlabeled)
            .put("dropped_ratio", unlabeled == 0 ? 0 : (double) (unlabeled - keptNegative[i]) / unlabeled);
        r += retrieved[i];
        l += labeledPositive[i];
        j += judgedPositive[i];
        k += keptNegative[i];
      }
      long unlabeled = r - l;
      o.putObject("total").put("retrieved", r).put("labeled_positive", l).put("judged_positive", j)
          .put("kept_negative", k).put("judged_positive_ratio", unlabeled == 0 ? 0 : (double) j / unlabeled)
          .put("dropped_ratio", unlabeled == 0 ? 0 : (double) (unlabeled - k) / unlabeled);
      return o;
    }
  }

  public record Result(Run denoised, Report report) {
  }

  public Result denoise(Dataset dataset, String split, Run run, int depth, Thresholds thresholds, String tag,
      Progress progress) {
    Candidates candidates = Candidates.of(dataset, split, run, depth);
    Qrels qrels = dataset.qrels(split);
    long[] retrieved = new long[depth];
    long[] labeled = new long[depth];
    long[] judged = new long[depth];
    long[] kept = new long[depth];
    Run.Builder out = Run.builder(tag);
    try (Progress.Task task = progress.start("denoise", candidates.queryIds().size())) {
      for (String q : candidates.queryIds()) {
        List<ScoredDoc> top = candidates.top(q);
        float[] logits = candidates.score(model, q);
        List<ScoredDoc> keep = new ArrayList<>();
        for (int i = 0; i < top.size(); i++) {
          ScoredDoc d = top.get(i);
          double p = model.probability(logits[i]);
          retrieved[i]++;
          if (qrels.relevance(q, d.docId()).orElse(0) >= 1) {
            labeled[i]++;
            keep.add(d);
            continue;
          }
          if (p >= thresholds.positiveAbove()) {
            judged[i]++;
          }
          if (p < thresholds.negativeBelow()) {
            kept[i]++;
            keep.add(d);
          }
        }
        out.put(q, keep);
        task.step(1);
      }
    }
    return new Result(out.build(), new Report(retrieved, labeled, judged, kept));
  }
}
