package dev.quarry.cli;

import dev.quarry.data.DatasetFormat;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What {@code score-groups} (and {@code quarry spark score-groups}) reads and writes. */
public final class GroupScoringOptions {
  @Option(names = "--dataset", required = true, paramLabel = "DIR",
      description = "The dataset the groups come from: a teacher's BM25 and dense members search its corpus.")
  public Path dataset;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "Dataset layout, when it should not be recognised: ${COMPLETION-CANDIDATES}.")
  public DatasetFormat format;

  @Option(names = "--groups", required = true, paramLabel = "FILE", description = "Training groups (JSONL) to score.")
  public Path groups;

  @Option(names = "--output", required = true, paramLabel = "FILE",
      description = "The groups with teacher_score on every passage.")
  public Path output;

  /** The score cache beside the output ({@code OUTPUT.scores.jsonl}): a rerun scores only what it lacks. */
  public Path cache() {
    return output.resolveSibling(output.getFileName() + ".scores.jsonl");
  }
}
