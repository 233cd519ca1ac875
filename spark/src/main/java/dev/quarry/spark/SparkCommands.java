package dev.quarry.spark;

import dev.quarry.data.Dataset;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.dense.ModelFingerprint;
import dev.quarry.model.InferenceEngine;
import dev.quarry.model.TextEncoder;
import dev.quarry.util.Progress;
import dev.quarry.vectors.VectorReader;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/** What the search and mine commands share: the engine threads asked for, and a split searched on Spark. */
final class SparkCommands {
  private SparkCommands() {
  }

  /** The engine threads {@code --threads} set on this JVM (null: the engine's default), for the workers. */
  static String threads() {
    return System.getProperty(dev.quarry.model.Torch.THREADS_PROPERTY);
  }

  /**
   * A split's queries, encoded here by {@code modelDir}'s query tower, searched in the corpus vectors at
   * {@code vectors} by {@link DenseSearchJob}. The vectors must come from the same model on the same engine, as
   * their manifest records.
   */
  static Run search(JavaSparkContext spark, Dataset dataset, String split, Path modelDir, InferenceEngine engine,
      Path vectors, int batchSize, int k, int parts, String tag, Progress progress) {
    String fingerprint = ModelFingerprint.of(modelDir);
    try (VectorReader reader = VectorReader.open(vectors, VectorReader.Verification.STRUCTURE)) {
      String made = reader.producer().path("model_sha256").asText();
      String madeOn = reader.producer().path("engine").asText(InferenceEngine.LIBTORCH.id());
      if (!made.equals(fingerprint) || !madeOn.equals(engine.id())) {
        throw new IllegalArgumentException("the vectors in " + vectors + " were made by the model with fingerprint "
            + made + " on " + madeOn + ", not by " + modelDir + " (" + fingerprint + ") on " + engine.id()
            + "; encode the corpus with this model and engine (quarry spark encode) or give their --model");
      }
    }
    List<Query> queries = dataset.queries(split);
    float[][] queryVectors;
    try (TextEncoder encoder = TextEncoder.load(modelDir, engine)) {
      queryVectors = encoder.encodeQueries(queries.stream().map(Query::text).toList(), batchSize, progress);
    }
    return DenseSearchJob.run(spark, vectors, queries.stream().map(Query::id).toList(), queryVectors, k, parts, tag);
  }

  /** The judge {@code --model} names, over {@code dataset}, as the tasks open it. */
  static PairScoringJob.Judge judge(dev.quarry.cli.JudgeOptions options, Path dataset,
      dev.quarry.data.DatasetFormat format) {
    return new PairScoringJob.Judge(options.model.toAbsolutePath().toString(),
        dev.quarry.cli.Flags.positive(options.batchSize, "--batch-size"), options.engine(),
        dataset.toAbsolutePath().toString(), format, options.cacheRoot().toAbsolutePath().toString(), threads());
  }
}
