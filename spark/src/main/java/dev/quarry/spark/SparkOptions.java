package dev.quarry.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Option;

/** Where a job runs ({@code --master}) and in how many parts ({@code --partitions}). */
public final class SparkOptions {
  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master: local[N] on this machine, or a cluster's URL (default: spark-submit's, else "
          + "local[*]).")
  String master;

  @Option(names = "--partitions", paramLabel = "N",
      description = "Parts the work is cut into: shards to encode, corpus parts to search, query slices to score "
          + "(default: Spark's default parallelism).")
  Integer partitions;

  /** A Spark context for {@code job}: quiet (warnings only), without the web UI when local. */
  JavaSparkContext start(String job) {
    SparkConf conf = new SparkConf().setAppName("quarry spark " + job);
    if (master != null) {
      conf.setMaster(master);
    } else if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    if (conf.get("spark.master").startsWith("local")) {
      conf.setIfMissing("spark.ui.enabled", "false");
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    JavaSparkContext spark = new JavaSparkContext(conf);
    spark.setLogLevel("WARN");
    return spark;
  }

  /** {@code --partitions}, or the context's default parallelism. */
  int partitions(JavaSparkContext spark) {
    if (partitions != null && partitions <= 0) {
      throw new IllegalArgumentException("--partitions must be positive, found " + partitions);
    }
    return partitions != null ? partitions : spark.defaultParallelism();
  }
}
