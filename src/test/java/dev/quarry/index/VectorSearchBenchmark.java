package dev.quarry.index;

import dev.quarry.data.ScoredDoc;
import dev.quarry.util.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Queries per second of flat and HNSW search on the same clustered synthetic data (see {@link ClusteredVectors}),
 * with HNSW's recall@k against flat, printed as a table of ratios to flat batched search. Not a test: surefire runs
 * only {@code *Test} classes. Run it with the test class path:
 *
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:$(cat target/test.cp) \
 *     dev.quarry.index.VectorSearchBenchmark [n=100000] [dim=384] [queries=1000] [k=10] [threads=N]
 * </pre>
 *
 * Each search is run once to warm up, then timed once; HNSW is timed at several efSearch values on one graph.
 */
public final class VectorSearchBenchmark {
  private static final int[] EF_SEARCH = {10, 50, 100, 200};

  private VectorSearchBenchmark() {
  }

  public static void main(String[] args) {
    int n = intArg(args, "n", 100_000);
    int dim = intArg(args, "dim", 384);
    int numQueries = intArg(args, "queries", 1000);
    int k = intArg(args, "k", 10);
    int threads = intArg(args, "threads", Runtime.getRuntime().availableProcessors());
    int centers = intArg(args, "centers", Math.max(1, n / 100));
    ClusteredVectors data = new ClusteredVectors(dim, centers, 16, 1.0, 0.5, 42);
    float[][] vectors = data.sample(n, 1);
    float[][] queries = data.sample(numQueries, 2);
    List<String> ids = ClusteredVectors.ids(n);
    System.out.printf(Locale.ROOT, "%,d vectors x %d dims around %d centers (cosine), %,d queries, k=%d, "
        + "%d search threads, %d cores, %s%n", n, dim, centers, numQueries, k, threads,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));

    List<Row> rows = new ArrayList<>();
    long start = System.nanoTime();
    try (FlatVectorIndex flat = FlatVectorIndex.build(ids, vectors, Similarity.COSINE, threads)) {
      double flatBuild = seconds(start);
      List<List<ScoredDoc>> truth = flat.search(queries, k, Progress.NONE);
      rows.add(timed("flat, batched", flatBuild, numQueries, () -> flat.search(queries, k, Progress.NONE), truth, k));
      FlatVectorIndex oneThread = FlatVectorIndex.build(ids, vectors, Similarity.COSINE, 1);
      rows.add(timed("flat, batched, 1 thread", flatBuild, numQueries,
          () -> oneThread.search(queries, k, Progress.NONE), truth, k));
      rows.add(timed("flat, one query at a time, 1 thread", flatBuild, numQueries, () -> {
        List<List<ScoredDoc>> hits = new ArrayList<>();
        for (float[] q : queries) {
          hits.add(flat.search(q, k));
        }
        return hits;
      }, truth, k));
      for (boolean int8 : new boolean[] {false, true}) {
        VectorIndexConfig config = VectorIndexConfig.hnsw(Similarity.COSINE,
            HnswConfig.DEFAULTS.withInt8Quantized(int8)).withThreads(threads);
        long b0 = System.nanoTime();
        try (HnswVectorIndex index = HnswVectorIndex.buildInMemory(ids, vectors, config, Progress.NONE)) {
          double build = seconds(b0);
          for (int ef : EF_SEARCH) {
            rows.add(timed("hnsw " + (int8 ? "int8" : "float32") + ", efSearch " + ef, build, numQueries,
                () -> index.search(queries, k, ef, Progress.NONE), truth, k));
          }
        }
      }
    }
    double base = rows.get(0).qps;
    System.out.printf(Locale.ROOT, "%-38s %9s %12s %9s %10s%n", "index", "build s", "queries/s", "x flat",
        "recall@" + k);
    for (Row r : rows) {
      System.out.printf(Locale.ROOT, "%-38s %9.2f %12.1f %9.2f %10.4f%n", r.name, r.buildSeconds, r.qps,
          r.qps / base, r.recall);
    }
  }

  private record Row(String name, double buildSeconds, double qps, double recall) {
  }

  private static Row timed(String name, double build, int numQueries, Supplier<List<List<ScoredDoc>>> search,
      List<List<ScoredDoc>> truth, int k) {
    search.get();
    long t = System.nanoTime();
    List<List<ScoredDoc>> hits = search.get();
    double qps = numQueries / seconds(t);
    return new Row(name, build, qps, RecallAtK.of(truth, hits, k).mean());
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static int intArg(String[] args, String name, int fallback) {
    for (String a : args) {
      if (a.startsWith(name + "=")) {
        return Integer.parseInt(a.substring(name.length() + 1));
      }
    }
    return fallback;
  }
}
