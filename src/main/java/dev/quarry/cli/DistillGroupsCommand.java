package dev.quarry.cli;

import dev.quarry.bm25.Bm25Config;
import dev.quarry.bm25.Bm25Index;
import dev.quarry.data.Dataset;
import dev.quarry.data.DatasetFormat;
import dev.quarry.data.Datasets;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.TrecFormat;
import dev.quarry.io.OutputPaths;
import dev.quarry.mine.TrainGroupFormat;
import dev.quarry.rocketqa.DistillationGroups;
import dev.quarry.rocketqa.PseudoQueries;
import dev.quarry.rocketqa.UnlabeledQueries;
import dev.quarry.teacher.Judges;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "distill-groups", mixinStandardHelpOptions = true,
    description = {"Training groups for distillation from queries without judgments (a query log, or pseudo-queries "
        + "made of the corpus's titles): each query's top DEPTH candidates (BM25, or --run) are scored by a judge (a "
        + "cross-encoder or a teacher folder); the judge's best candidate is the positive, --negatives of the others "
        + "are sampled, and every passage carries the judge's score as teacher_score. Train on them with a "
        + "distillation section (train, train-reranker), alone or appended to labeled groups. Scores are cached "
        + "beside the output (OUTPUT.scores.jsonl), so a killed run resumes without rescoring."})
final class DistillGroupsCommand implements Callable<Integer>, Resumable {
  @Spec
  CommandSpec spec;

  @Option(names = "--dataset", required = true, paramLabel = "DIR", description = "The corpus the candidates come from.")
  Path dataset;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "Dataset layout, when it should not be recognised: ${COMPLETION-CANDIDATES}.")
  DatasetFormat format;

  @ArgGroup(exclusive = true, multiplicity = "1")
  QuerySource source;

  static final class QuerySource {
    @Option(names = "--queries", paramLabel = "FILE",
        description = "Unlabeled queries: one per line (id unlabeled-N for line N), or BEIR .jsonl ({\"_id\", \"text\"}).")
    Path file;

    @Option(names = "--title-queries",
        description = "Pseudo-queries: the titles of the corpus documents no split's qrels judge (id pseudo-<doc id>).")
    boolean titles;
  }

  @Option(names = "--count", defaultValue = "0",
      description = "A seeded sample of this many queries; 0: all (default ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--seed", defaultValue = "13",
      description = "Seed of --count and of the negatives' sampling (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--run", paramLabel = "FILE",
      description = "Candidates for these queries (TREC or MS MARCO; query ids unlabeled-N for line N of --queries, "
          + "unlabeled-<_id> for .jsonl, pseudo-<doc id> for --title-queries); default: BM25 flat (Anserini's k1 0.9, b 0.4) "
          + "over the dataset's corpus, written to OUTPUT.candidates.trec.")
  Path run;

  @Option(names = "--depth", defaultValue = "30", description = "Candidates the judge scores per query (default "
      + "${DEFAULT-VALUE}).")
  int depth;

  @Option(names = "--negatives", defaultValue = "3", description = "Negatives per group (default ${DEFAULT-VALUE}).")
  int negatives;

  @Option(names = "--output", required = true, paramLabel = "FILE", description = "Training groups (JSONL) to write.")
  Path output;

  @Mixin
  JudgeOptions judge;

  @Override
  public Integer call() throws java.io.IOException {
    OutputPaths.file(output, "--output");
    Flags.positive(depth, "--depth");
    Flags.positive(negatives, "--negatives");
    Flags.positive(judge.batchSize, "--batch-size");
    if (count < 0) {
      throw new IllegalArgumentException("--count must be 0 (all) or positive, found " + count);
    }
    if (negatives >= depth) {
      throw new IllegalArgumentException("--negatives (" + negatives + ") must be below --depth (" + depth
          + "): a group is the best candidate and " + negatives + " others");
    }
    Dataset data = Datasets.open(dataset, format);
    int wanted = count == 0 ? Integer.MAX_VALUE : count;
    List<Query> queries = source.file != null ? UnlabeledQueries.read(source.file, wanted, seed)
        : PseudoQueries.fromTitles(data, wanted, seed);
    if (queries.isEmpty()) {
      throw new IllegalArgumentException(dataset + " has no document with a title that no split judges: "
          + "--title-queries makes no query; give --queries FILE");
    }
    var err = spec.commandLine().getErr();
    ConsoleProgress progress = new ConsoleProgress(System.err);
    Run candidates;
    String retriever;
    if (run != null) {
      candidates = TrecFormat.readAnyRun(run);
      retriever = candidates.tag().isBlank() ? "run" : candidates.tag();
    } else {
      try (Bm25Index index = Bm25Index.openOrBuild(data, Bm25Config.FieldMode.FLAT, judge.cacheRoot(), progress)) {
        candidates = index.searcher(Bm25Config.ANSERINI_FLAT).searchAll(queries, depth, "quarry-bm25-flat",
            dev.quarry.model.Torch.threads(),
            false, progress);
      }
      TrecFormat.writeRun(output.resolveSibling(output.getFileName() + ".candidates.trec"), candidates);
      retriever = "bm25";
    }
    DistillationGroups.Result result;
    try (Judges.Opened opened = judge.open(data, progress)) {
      result = DistillationGroups.build(opened.judge(), opened.fingerprint(), queries, data, candidates, retriever,
          depth, negatives, seed, output.resolveSibling(output.getFileName() + ".scores.jsonl"), progress);
    }
    TrainGroupFormat.write(output, result.groups());
    err.printf(Locale.ROOT, "distill-groups: %d queries, %d groups (%d short of %d candidates), judged by %s, "
        + "wrote %s%n", queries.size(), result.groups().size(), result.shortOfCandidates(), 1 + negatives,
        judge.model, output);
    return 0;
  }
}
