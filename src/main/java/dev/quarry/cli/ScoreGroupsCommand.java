package dev.quarry.cli;

import dev.quarry.data.Dataset;
import dev.quarry.data.DatasetFormat;
import dev.quarry.data.Datasets;
import dev.quarry.io.OutputPaths;
import dev.quarry.mine.TrainGroup;
import dev.quarry.mine.TrainGroupFormat;
import dev.quarry.rerank.GroupScoring;
import dev.quarry.teacher.Judges;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "score-groups", mixinStandardHelpOptions = true,
    description = {"Put a judge's scores (a cross-encoder, or a teacher fitted by quarry teacher) on every passage of "
        + "training groups, as teacher_score: what a distillation section of train or train-reranker learns from. "
        + "Scores are cached beside the output (OUTPUT.scores.jsonl), so a killed run resumes without rescoring."})
final class ScoreGroupsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  JudgeOptions judge;

  @Option(names = "--dataset", required = true, paramLabel = "DIR",
      description = "The dataset the groups come from: a teacher's BM25 and dense members search its corpus.")
  Path dataset;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "Dataset layout, when it should not be recognised: ${COMPLETION-CANDIDATES}.")
  DatasetFormat format;

  @Option(names = "--groups", required = true, paramLabel = "FILE", description = "Training groups (JSONL) to score.")
  Path groups;

  @Option(names = "--output", required = true, paramLabel = "FILE",
      description = "The groups with teacher_score on every passage.")
  Path output;

  @Override
  public Integer call() {
    OutputPaths.file(output, "--output");
    Flags.positive(judge.batchSize, "--batch-size");
    List<TrainGroup> in = TrainGroupFormat.read(groups);   // a bad file fails before the judge loads
    Dataset data = Datasets.open(dataset, format);
    ConsoleProgress progress = new ConsoleProgress(System.err);
    List<TrainGroup> scored;
    try (Judges.Opened opened = judge.open(data, progress)) {
      scored = GroupScoring.score(opened.judge(), in, output.resolveSibling(output.getFileName() + ".scores.jsonl"),
          progress);
    }
    TrainGroupFormat.write(output, scored);
    long pairs = scored.stream().mapToLong(g -> g.teacherScores().size()).sum();
    spec.commandLine().getErr().printf(Locale.ROOT, "score-groups: %d groups, %d passages scored by %s, wrote %s%n",
        scored.size(), pairs, judge.model, output);
    return 0;
  }
}
