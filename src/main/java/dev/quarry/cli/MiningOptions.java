package dev.quarry.cli;

import dev.quarry.mine.MiningConfig;
import dev.quarry.mine.MiningReport;
import dev.quarry.mine.PositiveRule;
import java.util.Locale;
import picocli.CommandLine.Option;

/** How {@code quarry mine} (and {@code quarry spark mine}) picks negatives from a candidate run, and its report. */
public final class MiningOptions {
  @Option(names = "--source",
      description = "Name written as the source of negatives from the run (default bm25 for mine, dense for spark "
          + "mine).")
  String source;

  @Option(names = "--from", defaultValue = "1", description = "Best rank a negative may have, 1-based (default "
      + "${DEFAULT-VALUE}).")
  int from;

  @Option(names = "--to", defaultValue = "30", description = "Worst rank a negative may have, inclusive (default "
      + "${DEFAULT-VALUE}).")
  int to;

  @Option(names = "--negatives", defaultValue = "1",
      description = "Negatives sampled per query from ranks --from..--to (default ${DEFAULT-VALUE}).")
  int negatives;

  @Option(names = "--random", defaultValue = "0",
      description = "Negatives drawn per query from the whole corpus (default ${DEFAULT-VALUE}).")
  int random;

  @Option(names = "--seed", defaultValue = "13", description = "Sampling seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--positives", defaultValue = "qrels",
      description = "${COMPLETION-CANDIDATES}: qrels: positives are judged relevant, and no judged-relevant document "
          + "is a negative; answers: also no passage containing an answer is a negative (QA data: SQuAD, DPR) "
          + "(default ${DEFAULT-VALUE}).")
  PositiveRule positives;

  /** The options as a mining config, checked; {@code defaultSource} names the negatives when --source does not. */
  public MiningConfig config(String defaultSource) {
    return new MiningConfig(source != null ? source : defaultSource, from, to, negatives, random, seed, positives);
  }

  /** The report {@code mine} prints. */
  public static String describe(MiningReport r, MiningConfig c) {
    return String.format(Locale.ROOT, """
        mine: %d groups, %.2f negatives per query (%d %s from ranks %d..%d, %d random), positives by %s, seed %d
        mine: queries skipped without positives: %d; without a ranking in the run (random negatives only): %d; \
        short of negatives from the run: %d
        mine: candidates dropped: %d judged relevant, %d containing an answer
        """, r.queriesWritten(), r.meanNegativesPerQuery(), r.hardNegatives(), c.source(), c.from(), c.to(),
        r.randomNegatives(), c.positiveRule().name().toLowerCase(Locale.ROOT), c.seed(), r.skippedWithoutPositives(),
        r.withoutCandidates(), r.shortOfNegatives(), r.droppedJudgedRelevant(), r.droppedContainingAnswer());
  }
}
