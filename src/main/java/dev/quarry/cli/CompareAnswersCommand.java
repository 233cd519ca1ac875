package dev.quarry.cli;

import dev.quarry.eval.PairedComparison;
import dev.quarry.reader.AnswersFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "compare-answers", mixinStandardHelpOptions = true,
    description = {"Compare two answers files of quarry qa (the same questions, read from two retrievers' passages or "
        + "by two readers) on exact match and F1: per-question differences, a paired t-test and a seeded paired "
        + "randomization test, over the questions both answered."})
final class CompareAnswersCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ANSWERS_A", description = "Baseline answers (JSONL).")
  Path answersA;

  @Parameters(index = "1", paramLabel = "ANSWERS_B", description = "Answers compared with the baseline.")
  Path answersB;

  @Option(names = "--trials", defaultValue = "10000", description = "Randomization trials (default ${DEFAULT-VALUE}).")
  int trials;

  @Option(names = "--seed", defaultValue = "42", description = "Randomization seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (AnswersFile.Measure m : List.of(AnswersFile.Measure.EXACT_MATCH, AnswersFile.Measure.F1)) {
      PairedComparison c = PairedComparison.of(AnswersFile.values(answersA, m), AnswersFile.values(answersB, m),
          Flags.positive(trials, "--trials"), seed);
      out.print(Reports.comparison(c, m.field().toLowerCase(Locale.ROOT), answersA.getFileName().toString(),
          answersB.getFileName().toString()));
    }
    out.flush();
    return 0;
  }
}
