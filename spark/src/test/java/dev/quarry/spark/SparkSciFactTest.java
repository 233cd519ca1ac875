package dev.quarry.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.cli.QuarryCli;
import dev.quarry.testing.SharedData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark jobs on real data (opt-in, about 15 minutes on 2 cores: {@code bin/test -Dtest=SparkSciFactTest
 * -Dquarry.groups=slow -Dquarry.excludedGroups=}): SciFact's 5,183 passages encoded with all-minilm-l6-v2 in 6 shards
 * by 3 Spark tasks on {@code local[2]} are the bytes {@code quarry encode} writes, and the test queries searched in 4
 * corpus parts give the run {@code quarry dense --index flat} gives.
 */
@Tag("slow")
class SparkSciFactTest {
  @TempDir
  Path tmp;

  private static void ok(int code, StringWriter err, String what) {
    assertThat(code).as(what + "\n" + err).isZero();
  }

  @Test
  void sparkEncodesAndSearchesSciFactAsTheSingleNodeCommandsDo() throws IOException {
    String scifact = SharedData.scifact().toString();
    Path cache = tmp.resolve("cache");
    Path single = tmp.resolve("single");
    Path spark = tmp.resolve("spark");
    StringWriter err = new StringWriter();
    PrintWriter out = new PrintWriter(new StringWriter());
    ok(QuarryCli.run(new String[] {"encode", "--model", "all-minilm-l6-v2", "--dataset", scifact, "--output",
        single.toString(), "--shard-size", "1000", "--cache", cache.toString()}, out, new PrintWriter(err, true)), err,
        "encode");
    ok(SparkCli.run(new String[] {"encode", "--model", "all-minilm-l6-v2", "--dataset", scifact, "--output",
        spark.toString(), "--shard-size", "1000", "--cache", cache.toString(), "--master", "local[2]",
        "--partitions", "3"}, out, new PrintWriter(err, true)), err, "spark encode");
    try (Stream<Path> files = Files.list(single)) {
      for (Path f : files.toList()) {
        assertThat(Files.readAllBytes(spark.resolve(f.getFileName()))).as(f.getFileName().toString())
            .isEqualTo(Files.readAllBytes(f));
      }
    }
    Path dense = tmp.resolve("dense.trec");
    ok(QuarryCli.run(new String[] {"dense", "--model", "all-minilm-l6-v2", "--dataset", scifact, "--split", "test",
        "--index", "flat", "--hits", "100", "--output", dense.toString(), "--cache", cache.toString()}, out,
        new PrintWriter(err, true)), err, "dense");
    Path searched = tmp.resolve("spark.trec");
    ok(SparkCli.run(new String[] {"search", "--model", "all-minilm-l6-v2", "--vectors", spark.toString(),
        "--dataset", scifact, "--split", "test", "--hits", "100", "--output", searched.toString(), "--cache",
        cache.toString(), "--master", "local[2]", "--partitions", "4"}, out, new PrintWriter(err, true)), err,
        "spark search");
    assertThat(Files.readAllLines(searched)).hasSize(300 * 100).isEqualTo(Files.readAllLines(dense));
  }
}
