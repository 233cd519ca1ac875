package dev.quarry.cli;

import dev.quarry.bm25.Bm25Config;
import dev.quarry.bm25.Bm25Index;
import dev.quarry.data.Dataset;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.TrecFormat;
import dev.quarry.io.OutputPaths;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "bm25", mixinStandardHelpOptions = true,
    description = {"Index a dataset's corpus with Lucene (cached while the corpus and settings stay the same), "
        + "search every query of a split with BM25, and write a TREC run."})
final class Bm25Command implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  DatasetOptions data;

  @Option(names = "--output", required = true, paramLabel = "FILE", description = "TREC run to write.")
  Path runFile;

  @Option(names = "--k1", defaultValue = "0.9", description = "BM25 k1 (default ${DEFAULT-VALUE}).")
  float k1;

  @Option(names = "--b", defaultValue = "0.4", description = "BM25 b (default ${DEFAULT-VALUE}).")
  float b;

  @Option(names = "--hits", defaultValue = "1000", description = "Hits written per query (default ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--fields", defaultValue = "flat",
      description = "${COMPLETION-CANDIDATES}: flat puts title and text in one field; multifield keeps separate "
          + "fields, scores summed (default ${DEFAULT-VALUE}).")
  Bm25Config.FieldMode fields;

  @Option(names = "--threads", description = "Search threads (default: available processors).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Mixin
  CacheOption cache = new CacheOption();

  @Option(names = "--tag", description = "Run tag (default quarry-bm25-<fields>).")
  String tag;

  @Option(names = "--remove-query-id",
      description = "Drop hits whose document id equals the query id (Anserini's -removeQuery); off by default.")
  boolean removeQueryId;

  @Override
  public Integer call() throws Exception {
    OutputPaths.file(runFile, "--output");
    Flags.runTag(tag);
    Bm25Config.FieldMode mode = fields;
    if (k <= 0) {
      throw new IllegalArgumentException("--hits must be positive, found " + k);
    }
    Bm25Config config = new Bm25Config(k1, b, mode);
    Dataset dataset = data.open();
    List<Query> queries = dataset.queries(data.split);
    PrintWriter err = spec.commandLine().getErr();
    ConsoleProgress progress = new ConsoleProgress(System.err);
    try (Bm25Index index = Bm25Index.openOrBuild(dataset, mode, cache.root(), progress)) {
      err.printf("bm25: index %s (%d documents)%n", index.path(), index.numDocs());
      String runTag = tag != null ? tag : "quarry-bm25-" + mode.name().toLowerCase(java.util.Locale.ROOT);
      Run run = index.searcher(config).searchAll(queries, k, runTag, threads, removeQueryId, progress);
      TrecFormat.writeRun(runFile, run);
      err.printf("bm25: %d queries, k1=%s b=%s %s, wrote %s%n", queries.size(), k1, b,
          fields.name().toLowerCase(java.util.Locale.ROOT), runFile);
    }
    return 0;
  }
}
