package dev.quarry.rerank;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.data.Qrels;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import dev.quarry.io.JsonLines;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Platt scaling of a cross-encoder's logit into a relevance probability: {@code p = sigmoid(scale * logit + bias)}.
 *
 * <p>RocketQA's denoising and augmentation read the cross-encoder's output as a probability (below 0.1 a confident
 * negative, from 0.9 a confident positive). A listwise loss fixes logits only up to a constant per query, and a
 * pointwise one trained for a few minutes barely leaves the class prior, so the raw sigmoid is no probability. The
 * cross-encoder trainer therefore fits these two numbers on the dev queries' reranked candidates (judged relevant or
 * not), by maximum likelihood with Platt's smoothed targets ({@code (n+ + 1) / (n+ + 2)} and {@code 1 / (n- + 2)},
 * which keep a separable dev set from driving the scale to infinity), with Newton's method.
 *
 * @param pairs how many labeled pairs it was fitted on (0 for {@link #IDENTITY})
 * @param positives how many of them were relevant
 */
public record Calibration(double scale, double bias, int pairs, int positives) {
  /** The raw sigmoid of the logit: what a cross-encoder without a fitted calibration reports. */
  public static final Calibration IDENTITY = new Calibration(1, 0, 0, 0);

  public Calibration {
    if (!Double.isFinite(scale) || !Double.isFinite(bias)) {
      throw new IllegalArgumentException("calibration must be finite; scale=" + scale + ", bias=" + bias);
    }
  }

  /** The probability that a pair with this logit is relevant. */
  public double probability(double logit) {
    return 1 / (1 + Math.exp(-(scale * logit + bias)));
  }

  /**
   * Fits the calibration to logits and their relevance labels.
   *
   * @throws IllegalArgumentException when the lengths differ or the labels are all of one kind
   */
  public static Calibration fit(float[] logits, boolean[] relevant) {
    if (logits.length != relevant.length) {
      throw new IllegalArgumentException(logits.length + " logits but " + relevant.length + " labels");
    }
    int positives = 0;
    for (boolean r : relevant) {
      positives += r ? 1 : 0;
    }
    int negatives = logits.length - positives;
    if (positives == 0 || negatives == 0) {
      throw new IllegalArgumentException("calibration needs relevant and non-relevant pairs; found " + positives
          + " relevant of " + logits.length);
    }
    double hi = (positives + 1.0) / (positives + 2.0);
    double lo = 1.0 / (negatives + 2.0);
    double a = 0;
    double b = Math.log((positives + 1.0) / (negatives + 1.0));
    for (int iteration = 0; iteration < 100; iteration++) {
      double ga = 0;
      double gb = 0;
      double haa = 1e-12;
      double hab = 0;
      double hbb = 1e-12;
      for (int i = 0; i < logits.length; i++) {
        double x = logits[i];
        double p = 1 / (1 + Math.exp(-(a * x + b)));
        double residual = p - (relevant[i] ? hi : lo);
        double w = Math.max(p * (1 - p), 1e-12);
        ga += residual * x;
        gb += residual;
        haa += w * x * x;
        hab += w * x;
        hbb += w;
      }
      double det = haa * hbb - hab * hab;
      if (!(det > 0)) {
        break;
      }
      double da = (hbb * ga - hab * gb) / det;
      double db = (haa * gb - hab * ga) / det;
      // Newton's full step can overshoot far from the optimum (many pairs, scores spread over several units) and
      // diverge; halve it until the loss does not rise.
      double before = loss(logits, relevant, hi, lo, a, b);
      double step = 1;
      while (step > 1e-6 && loss(logits, relevant, hi, lo, a - step * da, b - step * db) > before) {
        step /= 2;
      }
      a -= step * da;
      b -= step * db;
      if (Math.abs(step * da) < 1e-10 && Math.abs(step * db) < 1e-10) {
        break;
      }
    }
    return new Calibration(a, b, logits.length, positives);
  }

  /** The cross-entropy of the smoothed targets under {@code sigmoid(a * x + b)}. */
  private static double loss(float[] logits, boolean[] relevant, double hi, double lo, double a, double b) {
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      double z = a * logits[i] + b;
      double t = relevant[i] ? hi : lo;
      // -[t log s(z) + (1 - t) log(1 - s(z))] = log(1 + e^z) - t z, computed without overflow
      sum += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - t * z;
    }
    return sum;
  }

  /**
   * Fits the calibration to a reranked run: each query's first {@code depth} candidates carry the cross-encoder's
   * logit as their score in {@code reranked} (see {@link Reranker}), and {@code qrels} says which are relevant. When
   * those pairs are all relevant or all not (a dev split too small to say anything), it is {@link #IDENTITY}.
   */
  public static Calibration fitOnRerankedRun(Run candidates, Run reranked, Qrels qrels, int depth) {
    List<Float> logits = new ArrayList<>();
    List<Boolean> labels = new ArrayList<>();
    for (String q : candidates.queryIds()) {
      List<ScoredDoc> top = candidates.docs(q);
      Set<String> scored = new HashSet<>();
      top.subList(0, Math.min(depth, top.size())).forEach(d -> scored.add(d.docId()));
      for (ScoredDoc d : reranked.docs(q)) {
        if (scored.contains(d.docId())) {
          logits.add((float) d.score());
          labels.add(qrels.relevance(q, d.docId()).orElse(0) >= 1);
        }
      }
    }
    if (!labels.contains(true) || !labels.contains(false)) {
      return IDENTITY;
    }
    float[] x = new float[logits.size()];
    boolean[] y = new boolean[labels.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = logits.get(i);
      y[i] = labels.get(i);
    }
    return fit(x, y);
  }

  /** As stored in a cross-encoder's {@code quarry.json}. */
  public ObjectNode toJson() {
    return JsonLines.MAPPER.createObjectNode().put("scale", scale).put("bias", bias).put("pairs", pairs)
        .put("positives", positives);
  }

  /** Reads {@link #toJson}'s form; a missing node is {@link #IDENTITY}. */
  public static Calibration fromJson(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return IDENTITY;
    }
    return new Calibration(node.path("scale").asDouble(1), node.path("bias").asDouble(0), node.path("pairs").asInt(),
        node.path("positives").asInt());
  }
}
