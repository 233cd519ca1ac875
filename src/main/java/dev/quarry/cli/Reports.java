package dev.quarry.cli;

import dev.quarry.eval.EvalReport;
import dev.quarry.eval.PairedComparison;
import java.util.Locale;

/** Plain-text tables for the terminal. */
final class Reports {
  private Reports() {
  }

  static String table(EvalReport report, String runName) {
    StringBuilder sb = new StringBuilder();
    int width = Math.max(8, report.metrics().stream().mapToInt(m -> m.name().length()).max().orElse(8));
    sb.append(String.format(Locale.ROOT, "%-" + width + "s  %s%n", "metric", runName));
    for (int i = 0; i < report.metrics().size(); i++) {
      sb.append(String.format(Locale.ROOT, "%-" + width + "s  %.4f%n", report.metrics().get(i).name(), report.means()[i]));
    }
    sb.append(String.format(Locale.ROOT, "queries: %d averaged, %d without a ranking%n", report.numQueries(),
        report.missing().size()));
    return sb.toString();
  }

  static String comparison(PairedComparison c, String metric, String nameA, String nameB) {
    return String.format(Locale.ROOT, """
        %s over %d queries
          A %-30s %.4f
          B %-30s %.4f
          B - A                            %+.4f  (B better on %d, worse on %d, equal on %d)
          paired t-test                    t = %.3f, p = %.4g
          randomization test               p %s  (%d trials, seed %d)
        """, metric, c.queryIds().size(), nameA, c.meanA(), nameB, c.meanB(), c.meanB() - c.meanA(), c.wins(),
        c.losses(), c.ties(), c.t(), c.tTestP(), randomizationP(c), c.trials(), c.seed());
  }

  /** No trial reached the observed difference: the p-value is below the test's resolution, not zero. */
  private static String randomizationP(PairedComparison c) {
    return c.randomizationP() == 0 ? "< 1/" + c.trials()
        : String.format(Locale.ROOT, "= %.4g", c.randomizationP());
  }
}
