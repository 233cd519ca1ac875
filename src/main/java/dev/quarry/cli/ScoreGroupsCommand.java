package dev.quarry.cli;

import dev.quarry.data.Dataset;
import dev.quarry.data.Datasets;
import dev.quarry.io.OutputPaths;
import dev.quarry.mine.TrainGroup;
import dev.quarry.mine.TrainGroupFormat;
import dev.quarry.rerank.GroupScoring;
import dev.quarry.teacher.Judges;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "score-groups", mixinStandardHelpOptions = true,
    description = {"Put a judge's scores (a cross-encoder, or a teacher fitted by quarry teacher) on every passage of "
        + "training groups, as teacher_score: what a distillation section of train or train-reranker learns from. "
        + "Scores are cached beside the output (OUTPUT.scores.jsonl), so a killed run resumes without rescoring."})
final class ScoreGroupsCommand implements Callable<Integer>, Resumable {
  @Spec
  CommandSpec spec;

  @Mixin
  JudgeOptions judge;

  @Mixin
  GroupScoringOptions files = new GroupScoringOptions();

  @Override
  public Integer call() {
    OutputPaths.file(files.output, "--output");
    Flags.positive(judge.batchSize, "--batch-size");
    List<TrainGroup> in = TrainGroupFormat.read(files.groups);   // a bad file fails before the judge loads
    Dataset data = Datasets.open(files.dataset, files.format);
    ConsoleProgress progress = new ConsoleProgress(System.err);
    List<TrainGroup> scored;
    try (Judges.Opened opened = judge.open(data, progress)) {
      scored = GroupScoring.score(opened.judge(), opened.fingerprint(), in, files.cache(), progress);
    }
    TrainGroupFormat.write(files.output, scored);
    long pairs = scored.stream().mapToLong(g -> g.teacherScores().size()).sum();
    spec.commandLine().getErr().printf(Locale.ROOT, "score-groups: %d groups, %d passages scored by %s, wrote %s%n",
        scored.size(), pairs, judge.model, files.output);
    return 0;
  }
}
