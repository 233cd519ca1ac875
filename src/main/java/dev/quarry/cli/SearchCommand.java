package dev.quarry.cli;

import dev.quarry.api.Hit;
import dev.quarry.api.PassageReranker;
import dev.quarry.api.Quarry;
import dev.quarry.api.SearchIndex;
import dev.quarry.api.SearchMode;
import dev.quarry.api.SearchOutputFormat;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.TopicsFormat;
import dev.quarry.io.OutputPaths;
import java.io.PrintWriter;
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

@Command(name = "search", mixinStandardHelpOptions = true,
    description = {"Search an index folder (quarry index) with BM25, the dense model or both fused, optionally "
        + "reranked by a cross-encoder: every query of a topics file into a run file, or one --query printed as a "
        + "table."})
final class SearchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--index", required = true, paramLabel = "DIR", description = "Index folder (quarry index).")
  Path index;

  @ArgGroup(multiplicity = "1")
  Queries queries;

  static final class Queries {
    @Option(names = "--topics", paramLabel = "FILE",
        description = "Queries: TSV (id<TAB>text), BEIR JSONL (_id, text) or a TREC topic file (<top> ... </top>).")
    Path topics;

    @Option(names = "--query", paramLabel = "TEXT", description = "One query, whose hits are printed.")
    String query;
  }

  @Option(names = "--mode", defaultValue = "hybrid",
      description = "${COMPLETION-CANDIDATES}: BM25, the dense model, or both by reciprocal rank fusion (k = 60, each "
          + "side's top 1000) (default ${DEFAULT-VALUE}).")
  SearchMode mode;

  @Option(names = "--hits", paramLabel = "K",
      description = "Hits per query (default: 1000 with --topics, 10 with --query).")
  Integer hits;

  @Option(names = "--rerank", paramLabel = "DIR", description = "A cross-encoder (quarry train-reranker's OUT/model) "
      + "that reranks each query's top --top.")
  Path rerank;

  @Option(names = "--top", defaultValue = "100",
      description = "With --rerank: hits reranked per query (default ${DEFAULT-VALUE}).")
  int top;

  @Option(names = "--output", paramLabel = "FILE",
      description = "Run file to write (required with --topics; with --query, instead of the table).")
  Path output;

  @Option(names = "--output-format", defaultValue = "trec",
      description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  SearchOutputFormat outputFormat;

  @Option(names = "--ef-search", paramLabel = "N", description = "HNSW candidates per query (default: the index's).")
  Integer efSearch;

  @Option(names = "--tag", description = "Run tag (default quarry-<mode>).")
  String tag;

  @Mixin
  ThreadsOption threads = new ThreadsOption();

  @Override
  public Integer call() {
    int k = Flags.positive(hits != null ? hits : queries.topics != null ? 1000 : 10, "--hits");
    Flags.positive(top, "--top");
    if (efSearch != null) {
      Flags.positive(efSearch, "--ef-search");
    }
    Flags.runTag(tag);
    if (queries.topics != null && output == null) {
      throw new IllegalArgumentException("--topics needs --output FILE (the run to write)");
    }
    if (output != null) {
      OutputPaths.file(output, "--output");
    }
    List<Query> list = queries.topics != null ? TopicsFormat.read(queries.topics)
        : List.of(new Query("query", queries.query));
    if (list.isEmpty()) {
      throw new IllegalArgumentException(queries.topics + " holds no query");
    }
    String runTag = tag != null ? tag : "quarry-" + mode.name().toLowerCase(Locale.ROOT);
    ConsoleProgress progress = new ConsoleProgress(System.err);
    try (SearchIndex searchIndex = SearchIndex.open(index, efSearch == null ? -1 : efSearch);
        PassageReranker reranker = rerank == null ? null : Quarry.reranker(rerank)) {
      long started = System.nanoTime();
      Run run = searchIndex.search(list, mode, k, runTag, progress);
      if (reranker != null) {
        run = searchIndex.rerank(reranker, list, run, top, runTag + "-reranked", progress);
      }
      double ms = (System.nanoTime() - started) / 1e6;
      if (output != null) {
        outputFormat.write(output, run, list, searchIndex);
        spec.commandLine().getErr().printf(Locale.ROOT, "search: %d queries, %s%s, %.0f ms, wrote %s%n", list.size(),
            runTag, reranker == null ? "" : " reranked", ms, output);
      } else {
        print(searchIndex.hits(run.docs("query")), ms, spec.commandLine().getOut());
      }
    }
    return 0;
  }

  private static void print(List<Hit> hits, double ms, PrintWriter out) {
    out.printf(Locale.ROOT, "%4s  %-20s  %10s  %s%n", "rank", "id", "score", "title");
    for (Hit h : hits) {
      String title = h.title().isEmpty() ? h.text() : h.title();
      out.printf(Locale.ROOT, "%4d  %-20s  %10.4f  %s%n", h.rank(), h.id(), h.score(),
          title.length() > 80 ? title.substring(0, 77) + "..." : title);
    }
    out.printf(Locale.ROOT, "%d hits in %.0f ms%n", hits.size(), ms);
    out.flush();
  }
}
