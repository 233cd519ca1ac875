package dev.quarry.cli;

import dev.quarry.data.Dataset;
import dev.quarry.data.Run;
import dev.quarry.data.TrecFormat;
import dev.quarry.io.OutputPaths;
import dev.quarry.mine.MiningConfig;
import dev.quarry.mine.MiningReport;
import dev.quarry.mine.NegativeMiner;
import java.io.PrintWriter;
import java.nio.file.Path;
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

  @Mixin
  MiningOptions mining = new MiningOptions();

  /** For picocli and for registration in {@link QuarryCli}. */
  public MineCommand() {
  }

  @Override
  public Integer call() {
    OutputPaths.file(output, "--output");
    MiningConfig config = mining.config("bm25");
    Dataset dataset = data.open();
    Run run = TrecFormat.readAnyRun(runFile);
    MiningReport report = new NegativeMiner(config).mine(dataset, data.split, run, output,
        new ConsoleProgress(System.err));
    PrintWriter err = spec.commandLine().getErr();
    err.print(MiningOptions.describe(report, config));
    err.printf("mine: wrote %s%n", output);
    err.flush();
    return 0;
  }
}
