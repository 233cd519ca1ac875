package dev.quarry.cli;

import dev.quarry.api.PassageReranker;
import dev.quarry.api.Quarry;
import dev.quarry.api.SearchIndex;
import dev.quarry.service.SearchService;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serve a search index (quarry index) over HTTP: GET /search?q=&k=&mode=&rerank=, POST /encode, "
        + "POST /rerank, GET /health, and a search page at /. Stops on Ctrl-C or SIGTERM, letting requests in flight "
        + "finish."})
final class ServeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--index", required = true, paramLabel = "DIR", description = "Index folder (quarry index).")
  Path index;

  @Option(names = "--reranker", paramLabel = "DIR",
      description = "A cross-encoder (quarry train-reranker's OUT/model) for rerank=true and POST /rerank.")
  Path reranker;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "Address to listen on (default ${DEFAULT-VALUE}: this machine only; 0.0.0.0 for every network).")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "Port (default ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(names = "--http-threads", defaultValue = "8",
      description = "Requests handled at once (default ${DEFAULT-VALUE}); model passes still run one at a time.")
  int httpThreads;

  @Option(names = "--ef-search", paramLabel = "N", description = "HNSW candidates per query (default: the index's).")
  Integer efSearch;

  @Option(names = "--grace", defaultValue = "10",
      description = "Seconds requests in flight get to finish on shutdown (default ${DEFAULT-VALUE}).")
  int grace;

  @Mixin
  ThreadsOption threads = new ThreadsOption();

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be from 0 to 65535, found " + port);
    }
    Flags.positive(httpThreads, "--http-threads");
    if (efSearch != null) {
      Flags.positive(efSearch, "--ef-search");
    }
    SearchIndex searchIndex = SearchIndex.open(index, efSearch == null ? -1 : efSearch);
    PassageReranker ce = null;
    try {
      ce = reranker == null ? null : Quarry.reranker(reranker);
      SearchService service = SearchService.start(searchIndex, ce, host, port, httpThreads);
      CountDownLatch stopped = new CountDownLatch(1);
      PassageReranker toClose = ce;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        service.stop(grace);
        searchIndex.close();
        if (toClose != null) {
          toClose.close();
        }
        stopped.countDown();
      }, "quarry-serve-shutdown"));
      spec.commandLine().getErr().printf(Locale.ROOT, "serve: %d passages of %s on http://%s:%d/ (Ctrl-C stops)%n",
          searchIndex.manifest().documents(), index, host, service.port());
      spec.commandLine().getErr().flush();
      stopped.await();
      return 0;
    } catch (RuntimeException e) {
      searchIndex.close();
      if (ce != null) {
        ce.close();
      }
      throw e;
    }
  }
}
