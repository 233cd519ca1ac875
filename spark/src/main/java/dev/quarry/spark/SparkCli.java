package dev.quarry.spark;

import dev.quarry.cli.QuarryCli;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/**
 * {@code quarry spark}: the corpus-scale commands as Spark jobs. {@code bin/quarry spark ...} runs them with
 * {@code --master local[N]}; on a cluster, {@code spark-submit --class dev.quarry.spark.SparkCli} (docs/spark.md).
 */
@Command(name = "spark", mixinStandardHelpOptions = true,
    subcommands = {SparkEncodeCommand.class, SparkSearchCommand.class, SparkMineCommand.class,
        SparkScoreCommand.class, SparkScoreGroupsCommand.class},
    description = {"Quarry's corpus-scale work as Apache Spark jobs, equal to the single-node commands: encode a "
        + "corpus, search it, mine hard negatives from it, score a run's pairs with a cross-encoder or teacher."})
public final class SparkCli implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs a command line with the given streams and returns the exit code (0 ok, 1 failure, 2 usage). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return QuarryCli.run(new SparkCli(), "quarry spark", args, out, err);
  }

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "name a command: encode, search, mine or score");
  }
}
