package dev.quarry.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * Paired significance of the difference between two systems on the same queries, as IR papers report it: a
 * two-sided paired Student t-test and a two-sided paired randomization (sign-flip permutation) test (Smucker, Allan
 * and Carterette, CIKM 2007), seeded so it repeats exactly.
 *
 * @param queryIds the queries compared, in order
 * @param a system A's per-query values
 * @param b system B's per-query values
 * @param meanA mean of A
 * @param meanB mean of B
 * @param t the paired t statistic of B - A (NaN when every difference is equal)
 * @param tTestP two-sided p-value of the t-test (1 when every difference is 0)
 * @param randomizationP two-sided p-value of the randomization test: the fraction of sign assignments whose mean
 *     difference is at least as far from 0 as the observed one
 * @param trials randomization trials
 * @param seed randomization seed
 * @param wins queries where B is higher
 * @param losses queries where B is lower
 * @param ties queries where they are equal
 */
public record PairedComparison(List<String> queryIds, double[] a, double[] b, double meanA, double meanB, double t,
    double tTestP, double randomizationP, int trials, long seed, int wins, int losses, int ties) {

  /** Compares one metric of two reports over the queries both evaluated. */
  public static PairedComparison of(EvalReport reportA, EvalReport reportB, Metric metric, int trials, long seed) {
    Map<String, Double> a = new LinkedHashMap<>();
    Map<String, Double> b = new LinkedHashMap<>();
    reportA.perQuery().keySet().forEach(q -> a.put(q, reportA.value(q, metric)));
    reportB.perQuery().keySet().forEach(q -> b.put(q, reportB.value(q, metric)));
    return of(a, b, trials, seed);
  }

  /**
   * Compares two systems' per-query values (any measure: a metric, an answer's exact match) over the queries both
   * have, in {@code a}'s order.
   */
  public static PairedComparison of(Map<String, Double> valuesA, Map<String, Double> valuesB, int trials, long seed) {
    if (trials <= 0) {
      throw new IllegalArgumentException("trials must be positive; trials=" + trials);
    }
    List<String> ids = new ArrayList<>();
    for (String q : valuesA.keySet()) {
      if (valuesB.containsKey(q)) {
        ids.add(q);
      }
    }
    if (ids.size() < 2) {
      throw new IllegalArgumentException("need at least 2 queries evaluated in both runs, found " + ids.size());
    }
    int n = ids.size();
    double[] a = new double[n];
    double[] b = new double[n];
    double[] diff = new double[n];
    int wins = 0;
    int losses = 0;
    for (int i = 0; i < n; i++) {
      a[i] = valuesA.get(ids.get(i));
      b[i] = valuesB.get(ids.get(i));
      diff[i] = b[i] - a[i];
      if (diff[i] > 0) {
        wins++;
      } else if (diff[i] < 0) {
        losses++;
      }
    }
    double meanA = mean(a);
    double meanB = mean(b);
    boolean constant = true;
    for (double d : diff) {
      constant &= d == diff[0];
    }
    double t = constant ? Double.NaN : new TTest().pairedT(b, a);
    double tP = constant ? (diff[0] == 0 ? 1.0 : 0.0) : new TTest().pairedTTest(b, a);
    double randomP = randomization(diff, trials, seed);
    return new PairedComparison(List.copyOf(ids), a, b, meanA, meanB, t, tP, randomP, trials, seed, wins, losses,
        n - wins - losses);
  }

  /** Fraction of random sign flips of the differences whose |mean| reaches the observed |mean|. */
  static double randomization(double[] diff, int trials, long seed) {
    double observed = Math.abs(sum(diff));
    double slack = 1e-12 * Math.max(1, observed);   // equal sums must count as "at least as extreme"
    SplittableRandom random = new SplittableRandom(seed);
    int extreme = 0;
    for (int t = 0; t < trials; t++) {
      double s = 0;
      for (double d : diff) {
        s += random.nextBoolean() ? d : -d;
      }
      if (Math.abs(s) >= observed - slack) {
        extreme++;
      }
    }
    return (double) extreme / trials;
  }

  private static double mean(double[] x) {
    return sum(x) / x.length;
  }

  private static double sum(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s;
  }
}
