package dev.quarry.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.cli.QuarryCli;
import dev.quarry.testing.SharedData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark's overhead on one machine (opt-in: {@code bin/test -Dtest=SparkEncodingBenchmark -Dquarry.groups=benchmark
 * -Dquarry.excludedGroups=}): the first {@code quarry.bench.passages} (default 1,200) SciFact passages encoded with
 * all-minilm-l6-v2 by {@code quarry encode}, by {@code quarry spark encode --master local[2] --partitions 1} and with
 * {@code --partitions 2}, 4 shards each, each command timed whole (JVM-internal: model load and Spark start
 * included) over {@code quarry.bench.rounds} (default 3) rounds in rotating order; prints each configuration's median
 * passages/s and its ratio to the single-node command. It starts once the load average falls below 1 (up to 2
 * minutes) and warns when it did not.
 */
@Tag("benchmark")
class SparkEncodingBenchmark {
  @TempDir
  Path tmp;

  @Test
  void sparkEncodingAgainstTheSingleNodeCommand() throws IOException {
    int passages = Integer.getInteger("quarry.bench.passages", 1200);
    int rounds = Integer.getInteger("quarry.bench.rounds", 3);
    Path scifact = SharedData.scifact();
    Path subset = tmp.resolve("scifact-subset");
    Files.createDirectories(subset);
    Files.write(subset.resolve("corpus.jsonl"), Files.readAllLines(scifact.resolve("corpus.jsonl")).subList(0,
        passages));
    Files.copy(scifact.resolve("queries.jsonl"), subset.resolve("queries.jsonl"));
    Path cache = tmp.resolve("cache");
    String shard = Integer.toString((passages + 3) / 4);
    List<String[]> configs = List.of(new String[] {"encode"}, new String[] {"spark", "1"},
        new String[] {"spark", "2"});
    double[][] seconds = new double[configs.size()][rounds];
    double load = quietLoad();
    run(configs.get(0), subset, cache, shard, tmp.resolve("warm-up"));   // imports the model into the cache
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < configs.size(); i++) {
        int c = (i + r) % configs.size();
        seconds[c][r] = run(configs.get(c), subset, cache, shard, tmp.resolve("out-" + c + "-" + r));
      }
    }
    double base = median(seconds[0]);
    StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
        "spark encode benchmark: %d SciFact passages, all-minilm-l6-v2, 4 shards, %d rounds, %d cores%n", passages,
        rounds, Runtime.getRuntime().availableProcessors()));
    String[] names = {"quarry encode", "quarry spark encode local[2], 1 partition",
        "quarry spark encode local[2], 2 partitions"};
    for (int c = 0; c < configs.size(); c++) {
      double m = median(seconds[c]);
      report.append(String.format(Locale.ROOT, "  %-44s median %6.1f s, %5.1f passages/s, x%.2f the single-node rate"
          + " (runs: %s)%n", names[c], m, passages / m, base / m, Arrays.toString(seconds[c])));
    }
    if (load > 1) {
      report.append(String.format(Locale.ROOT, "  WARNING: the 1-minute load average was still %.2f after waiting 2"
          + " minutes for it to fall below 1: something else was running; the numbers mean little%n", load));
    }
    System.out.print(report);
    assertThat(seconds[0][0]).isPositive();
  }

  private static double run(String[] config, Path dataset, Path cache, String shard, Path output) {
    List<String> args = new ArrayList<>(List.of("encode", "--model", "all-minilm-l6-v2", "--dataset",
        dataset.toString(), "--output", output.toString(), "--shard-size", shard, "--cache", cache.toString()));
    StringWriter err = new StringWriter();
    PrintWriter out = new PrintWriter(new StringWriter());
    long t0 = System.nanoTime();
    int code;
    if (config[0].equals("encode")) {
      code = QuarryCli.run(args.toArray(String[]::new), out, new PrintWriter(err, true));
    } else {
      args.addAll(List.of("--master", "local[2]", "--partitions", config[1]));
      code = SparkCli.run(args.toArray(String[]::new), out, new PrintWriter(err, true));
    }
    double s = (System.nanoTime() - t0) / 1e9;
    assertThat(code).as(err.toString()).isZero();
    return s;
  }

  /**
   * The 1-minute load average once it falls below 1, or after 2 minutes of waiting: a check that nothing else runs
   * (the benchmark's own runs load both cores, so the load during it says nothing).
   */
  private static double quietLoad() {
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    for (int i = 0; i < 24 && load >= 1; i++) {
      try {
        Thread.sleep(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
    return load;
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
