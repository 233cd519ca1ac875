package dev.quarry.cli;

import dev.quarry.data.Run;
import dev.quarry.data.TrecFormat;
import dev.quarry.io.OutputPaths;
import dev.quarry.search.ReciprocalRankFusion;
import dev.quarry.search.RrfConfig;
import dev.quarry.search.RunFusion;
import dev.quarry.search.ScoreNormalization;
import dev.quarry.search.WeightedFusionConfig;
import dev.quarry.search.WeightedScoreFusion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "fuse", mixinStandardHelpOptions = true,
    description = {"Fuse runs (TREC or MS MARCO format) into one TREC run, by reciprocal rank fusion or by a weighted "
        + "sum of normalized scores. Each run is read in trec_eval's order; its best --top hits per query count."})
final class FuseCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--run", required = true, paramLabel = "FILE", description = "A run to fuse; give it twice or more.")
  List<Path> runFiles;

  @Option(names = "--method", required = true, description = "rrf or weighted.")
  String method;

  @Option(names = "--weights", description = "weighted: comma-separated weights, one per run (default: equal).")
  String weights;

  @Option(names = "--normalization", description = "weighted: minmax or zscore (default minmax).")
  String normalization;

  @Option(names = "--rrf-k", description = "rrf: the rank constant k of 1 / (k + rank) (default 60).")
  Integer rrfK;

  @Option(names = "--top", defaultValue = "1000",
      description = "Hits read per run and query (default ${DEFAULT-VALUE}).")
  int depth;

  @Option(names = "--hits", defaultValue = "1000", description = "Hits written per query (default ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--tag", description = "Run tag (default quarry-<method>).")
  String tag;

  @Option(names = "--output", required = true, paramLabel = "FILE", description = "TREC run to write.")
  Path output;

  @Override
  public Integer call() {
    OutputPaths.file(output, "--output");
    Flags.runTag(tag);
    if (runFiles.size() < 2) {
      throw new IllegalArgumentException("fuse needs at least two runs (--run A --run B), found " + runFiles.size());
    }
    String name = method.toLowerCase(Locale.ROOT);
    RunFusion fusion = switch (name) {
      case "rrf" -> {
        rejectIfSet(weights != null, "--weights");
        rejectIfSet(normalization != null, "--normalization");
        yield new ReciprocalRankFusion(new RrfConfig(rrfK == null ? 60 : rrfK, depth, k));
      }
      case "weighted" -> {
        rejectIfSet(rrfK != null, "--rrf-k");
        yield new WeightedScoreFusion(
            new WeightedFusionConfig(parseWeights(runFiles.size()), parseNormalization(), depth, k));
      }
      default -> throw new IllegalArgumentException("--method must be rrf or weighted, found " + method);
    };
    List<Run> runs = new ArrayList<>();
    for (Path file : runFiles) {
      runs.add(TrecFormat.readAnyRun(file));
    }
    Run fused = fusion.fuse(runs, tag != null ? tag : "quarry-" + name);
    TrecFormat.writeRun(output, fused);
    spec.commandLine().getErr().printf("fuse: %d runs, %d queries, %s, wrote %s%n", runs.size(),
        fused.queryIds().size(), name, output);
    spec.commandLine().getErr().flush();
    return 0;
  }

  private void rejectIfSet(boolean set, String option) {
    if (set) {
      throw new IllegalArgumentException(option + " does not apply to --method " + method);
    }
  }

  private List<Double> parseWeights(int runs) {
    if (weights == null) {
      return Collections.nCopies(runs, 1.0 / runs);
    }
    List<Double> parsed = new ArrayList<>();
    for (String w : weights.split(",", -1)) {
      try {
        parsed.add(Double.parseDouble(w.strip()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--weights must be comma-separated numbers, found " + weights, e);
      }
    }
    if (parsed.size() != runs) {
      throw new IllegalArgumentException(
          "--weights has " + parsed.size() + " weights for " + runs + " runs; give one per --run");
    }
    return parsed;
  }

  private ScoreNormalization parseNormalization() {
    if (normalization == null) {
      return ScoreNormalization.MIN_MAX;
    }
    return switch (normalization.toLowerCase(Locale.ROOT)) {
      case "minmax" -> ScoreNormalization.MIN_MAX;
      case "zscore" -> ScoreNormalization.Z_SCORE;
      default -> throw new IllegalArgumentException("--normalization must be minmax or zscore, found " + normalization);
    };
  }
}
