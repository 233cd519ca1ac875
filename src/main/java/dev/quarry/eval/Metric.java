package dev.quarry.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A measure with its cutoff, written {@code ndcg@10}, {@code recall@100}, {@code p@5}, {@code map}, {@code map@10},
 * {@code mrr}, {@code mrr@10}, {@code rprec} or {@code accuracy@20}. A cutoff of 0 means none.
 */
public record Metric(MetricKind kind, int cutoff) {
  public Metric {
    if (cutoff < 0) {
      throw new IllegalArgumentException("cutoff must be positive; cutoff=" + cutoff);
    }
    if (cutoff == 0 && kind.cutoff() == MetricKind.Cutoff.REQUIRED) {
      throw new IllegalArgumentException(kind.label() + " needs a cutoff, as in " + kind.label() + "@10");
    }
    if (cutoff > 0 && kind.cutoff() == MetricKind.Cutoff.NONE) {
      throw new IllegalArgumentException(kind.label() + " takes no cutoff");
    }
  }

  /** Parses one spec, case-insensitively. */
  public static Metric parse(String spec) {
    String s = spec.strip().toLowerCase(Locale.ROOT);
    int at = s.indexOf('@');
    String name = at < 0 ? s : s.substring(0, at);
    MetricKind kind = Arrays.stream(MetricKind.values()).filter(k -> k.label().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown metric \"" + spec + "\"; known: "
            + Arrays.stream(MetricKind.values()).map(MetricKind::label).collect(Collectors.joining(", "))));
    int cutoff = 0;
    if (at >= 0) {
      try {
        cutoff = Integer.parseInt(s.substring(at + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad cutoff in metric \"" + spec + "\": expected a whole number after @");
      }
      if (cutoff <= 0) {
        throw new IllegalArgumentException("bad cutoff in metric \"" + spec + "\": must be 1 or more");
      }
    }
    try {
      return new Metric(kind, cutoff);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad metric \"" + spec + "\": " + e.getMessage(), e);
    }
  }

  /** Parses a comma-separated list such as {@code ndcg@10,recall@100}; duplicates are dropped. */
  public static List<Metric> parseList(String specs) {
    List<Metric> metrics = new ArrayList<>();
    for (String spec : specs.split(",")) {
      if (!spec.isBlank()) {
        Metric m = parse(spec);
        if (!metrics.contains(m)) {
          metrics.add(m);
        }
      }
    }
    if (metrics.isEmpty()) {
      throw new IllegalArgumentException("no metric given");
    }
    return metrics;
  }

  /** The canonical spec, e.g. {@code ndcg@10}. */
  public String name() {
    return cutoff == 0 ? kind.label() : kind.label() + "@" + cutoff;
  }

  @Override
  public String toString() {
    return name();
  }
}
