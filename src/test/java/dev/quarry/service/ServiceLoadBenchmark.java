package dev.quarry.service;

import dev.quarry.api.SearchIndex;
import dev.quarry.data.Query;
import dev.quarry.data.TopicsFormat;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded load test of {@code quarry serve} on loopback ({@code bin/benchmark serve-load index=DIR topics=FILE
 * [clients=4] [seconds=30] [mode=hybrid] [k=10]}): the service runs in this JVM over the index; {@code clients}
 * threads send the topics' queries round-robin for {@code seconds}, twice (two rounds, so native memory growth between
 * them shows a leak rather than warm-up); it prints throughput, p50 / p99 latency, errors and the process's resident
 * memory before and after each round. It stops by itself.
 */
public final class ServiceLoadBenchmark {
  private ServiceLoadBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    Path indexDir = null;
    Path topics = null;
    int clients = 4;
    int seconds = 30;
    String mode = "hybrid";
    int k = 10;
    for (String a : args) {
      String[] kv = a.split("=", 2);
      switch (kv[0]) {
        case "index" -> indexDir = Path.of(kv[1]);
        case "topics" -> topics = Path.of(kv[1]);
        case "clients" -> clients = Integer.parseInt(kv[1]);
        case "seconds" -> seconds = Integer.parseInt(kv[1]);
        case "mode" -> mode = kv[1];
        case "k" -> k = Integer.parseInt(kv[1]);
        default -> throw new IllegalArgumentException("unknown argument " + a);
      }
    }
    if (indexDir == null || topics == null) {
      throw new IllegalArgumentException("usage: index=DIR topics=FILE [clients=4] [seconds=30] [mode=hybrid] [k=10]");
    }
    List<Query> queries = TopicsFormat.read(topics);
    try (SearchIndex index = SearchIndex.open(indexDir);
        SearchService service = SearchService.start(index, null, "127.0.0.1", 0, clients)) {
      HttpClient client = HttpClient.newHttpClient();
      List<URI> uris = new ArrayList<>();
      for (Query q : queries) {
        uris.add(URI.create("http://127.0.0.1:" + service.port() + "/search?k=" + k + "&mode=" + mode + "&q="
            + URLEncoder.encode(q.text(), StandardCharsets.UTF_8)));
      }
      for (int i = 0; i < 20; i++) {   // warm-up: the first requests load code paths and JIT-compile them
        client.send(HttpRequest.newBuilder(uris.get(i % uris.size())).build(), HttpResponse.BodyHandlers.discarding());
      }
      System.out.printf(Locale.ROOT, "serve-load: %s, %d passages, %d queries, %d clients, %d s per round, mode %s, "
          + "k %d%n", indexDir, index.manifest().documents(), queries.size(), clients, seconds, mode, k);
      System.out.printf(Locale.ROOT, "resident memory after warm-up: %d MiB%n", residentMiB());
      for (int round = 1; round <= 2; round++) {
        round(round, client, uris, clients, seconds);
      }
    }
  }

  private static void round(int round, HttpClient client, List<URI> uris, int clients, int seconds) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong next = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<?>> running = new ArrayList<>();
    long started = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      running.add(pool.submit(() -> {
        while (System.nanoTime() < deadline) {
          URI uri = uris.get((int) (next.getAndIncrement() % uris.size()));
          long t0 = System.nanoTime();
          try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
              errors.incrementAndGet();
            }
          } catch (Exception e) {
            errors.incrementAndGet();
          }
          latencies.add(System.nanoTime() - t0);
        }
        return null;
      }));
    }
    for (Future<?> f : running) {
      f.get();
    }
    pool.shutdown();
    double elapsed = (System.nanoTime() - started) / 1e9;
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    System.out.printf(Locale.ROOT, "round %d: %d requests in %.1f s = %.1f/s, p50 %.1f ms, p99 %.1f ms, errors %d, "
        + "resident memory %d MiB%n", round, sorted.size(), elapsed, sorted.size() / elapsed,
        percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6, errors.get(), residentMiB());
  }

  private static double percentile(List<Long> sorted, double p) {
    return sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1, (int) (p * sorted.size())));
  }

  /** VmRSS of this process, from /proc/self/status. */
  private static long residentMiB() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
      }
    }
    return -1;
  }
}
