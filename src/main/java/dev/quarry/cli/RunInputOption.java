package dev.quarry.cli;

import dev.quarry.data.Run;
import dev.quarry.data.TrecFormat;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --run FILE}: the run a judge scores (a picocli mixin of {@code rerank} and {@code denoise}). */
public final class RunInputOption {
  @Option(names = "--run", required = true, paramLabel = "FILE", description = "Run to score (TREC or MS MARCO).")
  public Path input;

  public Run run() {
    return TrecFormat.readAnyRun(input);
  }
}
