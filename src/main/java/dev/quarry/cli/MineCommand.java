package dev.quarry.cli;

import dev.quarry.data.Dataset;
import dev.quarry.data.Run;
import dev.quarry.data.TrecFormat;
import dev.quarry.io.OutputPaths;
import dev.quarry.mine.MiningConfig;
import dev.quarry.mine.MiningReport;
import dev.quarry.mine.NegativeMiner;
import dev.quarry.mine.PositiveRule;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quarry mine}: hard negatives from a candidate run into training groups ({@link dev.quarry.mine.NegativeMiner},
 * {@link dev.quarry.mine.TrainGroupFormat}); the report goes to stderr.
 */
@Command(name = "mine", mixinStandardHelpOptions = true,
    description = {"Mine hard negatives for a split's queries from a candidate run (TREC or MS MARCO format) and write "
        + "training groups as JSONL: each query with its positives and sampled negatives, titles and texts included."})
public final class MineCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  DatasetOptions data;

  @Option(names = "--run", required = true, paramLabel = "FILE", description = "Candidate run, e.g. from bm25.")
  Path runFile;

  @Option(names = "--output", required = true, paramLabel = "FILE", description = "Training groups (JSONL) to write.")
  Path output;

  @Option(names = "--source", defaultValue = "bm25",
      description = "Name written as the source of negatives from the run (default ${DEFAULT-VALUE}).")
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

  /** For picocli and for registration in {@link QuarryCli}. */
  public MineCommand() {
  }

  @Override
  public Integer call() {
    OutputPaths.file(output, "--output");
    PositiveRule rule = positives;
    MiningConfig config = new MiningConfig(source, from, to, negatives, random, seed, rule);
    Dataset dataset = data.open();
    Run run = TrecFormat.readAnyRun(runFile);
    MiningReport report = new NegativeMiner(config).mine(dataset, data.split, run, output,
        new ConsoleProgress(System.err));
    PrintWriter err = spec.commandLine().getErr();
    err.print(describe(report, config));
    err.printf("mine: wrote %s%n", output);
    err.flush();
    return 0;
  }

  static String describe(MiningReport r, MiningConfig c) {
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
