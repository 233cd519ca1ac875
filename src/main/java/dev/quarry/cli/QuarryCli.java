package dev.quarry.cli;

import dev.quarry.io.DataFormatException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code quarry} command line: thin commands that parse options, build configs and call the library. */
@Command(name = "quarry", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
    description = "Train, mine, index, search and evaluate dense passage retrievers on the JVM.",
    subcommands = {Bm25Command.class, EvalCommand.class, CompareCommand.class, FuseCommand.class,
        DenseCommand.class, EncodeCommand.class, MineCommand.class, TrainCommand.class, TrainRerankerCommand.class, TeacherCommand.class, RerankCommand.class, DenoiseCommand.class, PipelineCommand.class,
        PretrainCommand.class, ExportCommand.class, IndexCommand.class, SearchCommand.class, ServeCommand.class, ModelsCommand.class, ScoreGroupsCommand.class, DistillGroupsCommand.class, TrainReaderCommand.class, QaCommand.class, CompareAnswersCommand.class, ImportDprCommand.class, LabelQualityCommand.class, FinetuneRoundsCommand.class,
        CommandLine.HelpCommand.class},
    footer = {"", "quarry spark encode|search|mine|score|score-groups: the same work as Apache Spark jobs (the "
        + "quarry-spark module; bin/quarry spark --help, docs/spark.md)."})
public final class QuarryCli {
  private QuarryCli() {
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * A command line for {@code command} (this CLI or one of its commands) with Quarry's conventions: closed choices
   * are enums matched case-insensitively ({@code --index hnsw} or {@code HNSW}, as the help lists them), and
   * {@code -V} prints the build's version on every command.
   */
  public static CommandLine commandLine(Object command) {
    CommandLine cli = new CommandLine(command);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    BuildVersion version = new BuildVersion();
    cli.getCommandSpec().versionProvider(version);
    cli.getSubcommands().values().forEach(sub -> sub.getCommandSpec().versionProvider(version));
    return cli;
  }

  /** Runs a command line with the given streams and returns the exit code (0 ok, 1 failure, 2 usage). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(new QuarryCli(), "quarry", args, out, err);
  }

  /**
   * Runs {@code root} (this CLI, or another tool's command tree such as {@code quarry spark}) with Quarry's
   * conventions and error reporting: a failure prints {@code "<prefix> <command>: <message>"} and exits 1.
   */
  public static int run(Object root, String prefix, String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = commandLine(root);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      boolean expected = e instanceof DataFormatException || e instanceof IllegalArgumentException
          || e instanceof UncheckedIOException || e instanceof IllegalStateException;
      commandLine.getErr().println(prefix + " " + commandLine.getCommandName() + ": " + e.getMessage());
      if (!expected || debug(System.getenv("QUARRY_DEBUG"))) {
        e.printStackTrace(commandLine.getErr());
      }
      commandLine.getErr().flush();
      return 1;
    });
    return cli.execute(args);
  }

  /** Whether {@code QUARRY_DEBUG} asks for stack traces: set, and not 0, false, no or off (or empty). */
  static boolean debug(String value) {
    if (value == null) {
      return false;
    }
    String v = value.trim().toLowerCase(java.util.Locale.ROOT);
    return !(v.isEmpty() || v.equals("0") || v.equals("false") || v.equals("no") || v.equals("off"));
  }
}
