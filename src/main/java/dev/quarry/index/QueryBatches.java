package dev.quarry.index;

import dev.quarry.data.ScoredDoc;
import dev.quarry.util.Parallel;
import dev.quarry.util.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Runs a batch of queries as consecutive chunks, in parallel on a pool of threads that lives for one batch, and
 * returns the rankings in query order. A failure in any chunk is rethrown as is (when unchecked).
 */
final class QueryBatches {
  /** Searches queries {@code [from, to)}, returning one ranking per query. Called from one thread per chunk. */
  interface ChunkSearch {
    List<List<ScoredDoc>> search(int from, int to);
  }

  private QueryBatches() {
  }

  /**
   * Searches {@code n} queries in chunks of {@code chunk}, on up to {@code threads} threads, stepping {@code task}
   * once per query.
   */
  static List<List<ScoredDoc>> run(String name, int n, int chunk, int threads, Progress.Task task,
      ChunkSearch search) {
    List<List<ScoredDoc>> results = new ArrayList<>(n);
    int chunks = (n + chunk - 1) / chunk;
    if (chunks <= 1 || threads == 1) {
      for (int from = 0; from < n; from += chunk) {
        int to = Math.min(n, from + chunk);
        results.addAll(search.search(from, to));
        task.step(to - from);
      }
      return results;
    }
    List<Callable<List<List<ScoredDoc>>>> tasks = new ArrayList<>(chunks);
    for (int from = 0; from < n; from += chunk) {
      int start = from;
      int end = Math.min(n, from + chunk);
      tasks.add(() -> {
        List<List<ScoredDoc>> hits = search.search(start, end);
        task.step(end - start);
        return hits;
      });
    }
    Parallel.invokeAll(name, threads, tasks).forEach(results::addAll);
    return results;
  }
}
