package dev.quarry.spark;

import dev.quarry.cli.ConsoleProgress;
import dev.quarry.cli.GroupScoringOptions;
import dev.quarry.cli.JudgeOptions;
import dev.quarry.data.Datasets;
import dev.quarry.io.OutputPaths;
import dev.quarry.mine.TrainGroup;
import dev.quarry.mine.TrainGroupFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "score-groups", mixinStandardHelpOptions = true,
    description = {"Put a judge's scores (a cross-encoder, or a teacher from quarry teacher) on every passage of "
        + "training groups, the queries cut into slices scored by Spark tasks: the groups and score cache quarry "
        + "score-groups writes (what distillation reads); a rerun scores only what the cache lacks."})
final class SparkScoreGroupsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  JudgeOptions judge;

  @Mixin
  GroupScoringOptions files = new GroupScoringOptions();

  @Mixin
  SparkOptions sparkOptions = new SparkOptions();

  @Override
  public Integer call() {
    OutputPaths.file(files.output, "--output");
    List<TrainGroup> in = TrainGroupFormat.read(files.groups);   // a bad file fails before Spark starts
    Datasets.open(files.dataset, files.format);
    PairScoringJob.Judge j = SparkCommands.judge(judge, files.dataset, files.format);
    long started = System.nanoTime();
    try (JavaSparkContext spark = sparkOptions.start("score-groups")) {
      int parts = sparkOptions.partitions(spark);
      List<TrainGroup> scored = PairScoringJob.scoreGroups(spark, j, in,
          files.cache(), parts, new ConsoleProgress(System.err));
      TrainGroupFormat.write(files.output, scored);
      long pairs = scored.stream().mapToLong(g -> g.teacherScores().size()).sum();
      spec.commandLine().getErr().printf(Locale.ROOT, "spark score-groups: %d groups, %d passages scored by %s in %d"
          + " slices on %s, %.0f s, wrote %s%n", scored.size(), pairs, judge.model, parts, spark.master(),
          (System.nanoTime() - started) / 1e9, files.output);
    }
    return 0;
  }
}
