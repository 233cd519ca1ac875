package dev.quarry.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.cli.QuarryCli;
import dev.quarry.data.Datasets;
import dev.quarry.dense.DenseRetriever;
import dev.quarry.dense.ModelFingerprint;
import dev.quarry.io.Fixtures;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.InferenceEngine;
import dev.quarry.model.Pooling;
import dev.quarry.model.TextEncoder;
import dev.quarry.model.TinyModels;
import dev.quarry.rerank.CrossEncoder;
import dev.quarry.util.Progress;
import dev.quarry.vectors.VectorWriter;
import dev.quarry.vectors.VectorWriterConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each Spark job on {@code local[2]} with several parts gives the files the single-node command gives: the same
 * vectors artifact byte for byte, the same runs, the same training groups.
 */
class SparkJobsTest {
  @TempDir
  static Path tmp;
  static Path dataset;
  static Path model;
  static Path cache;

  @BeforeAll
  static void fixture() {
    dataset = tmp.resolve("beir");
    StringBuilder corpus = new StringBuilder();
    String[] words = ("retrieval dense passage query encoder negative teacher corpus vector index rank cell protein "
        + "gene virus memory shard spark model score").split(" ");
    for (int i = 0; i < 57; i++) {
      StringBuilder text = new StringBuilder();
      for (int w = 0; w < 1 + (i * 7) % 23; w++) {
        text.append(words[(i * 3 + w * 5) % words.length]).append(' ');
      }
      corpus.append("{\"_id\": \"d").append(i).append("\", \"title\": \"T").append(i % 5).append("\", \"text\": \"")
          .append(text.toString().strip()).append("\"}\n");
    }
    Fixtures.write(dataset.resolve("corpus.jsonl"), corpus.toString());
    StringBuilder queries = new StringBuilder();
    StringBuilder qrels = new StringBuilder("query-id\tcorpus-id\tscore\n");
    for (int q = 0; q < 9; q++) {
      queries.append("{\"_id\": \"q").append(q).append("\", \"text\": \"").append(words[q]).append(' ')
          .append(words[(q * 4) % words.length]).append("\"}\n");
      qrels.append("q").append(q).append("\td").append(q * 6).append("\t1\n");
    }
    Fixtures.write(dataset.resolve("queries.jsonl"), queries.toString());
    Fixtures.write(dataset.resolve("qrels/train.tsv"), qrels.toString());
    model = TinyModels.create(tmp.resolve("model"), new EncoderRecipe(Pooling.MEAN, true, "", "", 32, 32), 5);
    cache = tmp.resolve("cache");
  }

  private static String quarry(String... args) {
    return run(QuarryCli.run(args, new PrintWriter(new StringWriter()), errors()), args);
  }

  private static String spark(String... args) {
    return run(SparkCli.run(args, new PrintWriter(new StringWriter()), errors()), args);
  }

  private static final StringWriter ERR = new StringWriter();

  private static PrintWriter errors() {
    ERR.getBuffer().setLength(0);
    return new PrintWriter(ERR, true);
  }

  private static String run(int code, String... args) {
    assertThat(code).as(String.join(" ", args) + "\n" + ERR).isZero();
    return ERR.toString();
  }

  private static void assertSameFiles(Path expected, Path actual) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(expected)) {
      files = s.map(Path::getFileName).sorted().toList();
    }
    try (Stream<Path> s = Files.list(actual)) {
      assertThat(s.map(Path::getFileName).sorted().toList()).isEqualTo(files);
    }
    for (Path f : files) {
      assertThat(Files.readAllBytes(actual.resolve(f))).as(f.toString())
          .isEqualTo(Files.readAllBytes(expected.resolve(f)));
    }
  }

  @Test
  void encodesTheCorpusInShardTasksToTheBytesOfTheSingleNodeEncoder() throws IOException {
    Path single = tmp.resolve("encode-single");
    Path spark = tmp.resolve("encode-spark");
    quarry("encode", "--model", model.toString(), "--dataset", dataset.toString(), "--output", single.toString(),
        "--shard-size", "10", "--batch-size", "4", "--cache", cache.toString());
    String report = spark("encode", "--model", model.toString(), "--dataset", dataset.toString(), "--output",
        spark.toString(), "--shard-size", "10", "--batch-size", "4", "--cache", cache.toString(), "--master",
        "local[2]", "--partitions", "3");
    assertThat(report).contains("57 vectors").contains("6 shards encoded on local[2]");
    assertThat(Files.list(single).count()).isEqualTo(13);   // 6 shards x (.vec, .ids) + manifest
    assertSameFiles(single, spark);
  }

  @Test
  void resumesWithTheShardsAnEarlierRunLeftAndHandsOutOnlyTheRest() throws IOException {
    Path single = tmp.resolve("resume-single");
    quarry("encode", "--model", model.toString(), "--dataset", dataset.toString(), "--output", single.toString(),
        "--shard-size", "10", "--batch-size", "4", "--cache", cache.toString());
    Path spark = tmp.resolve("resume-spark");
    List<String> ids = DenseRetriever.corpusIds(Datasets.open(dataset));
    List<String> texts = new ArrayList<>();
    Datasets.open(dataset).forEachPassage(p -> texts.add(p.titleAndText()));
    try (TextEncoder encoder = TextEncoder.load(model, InferenceEngine.DEFAULT);
        VectorWriter writer = VectorWriter.open(spark, ids, new VectorWriterConfig(encoder.dimension(), 10,
            encoder.recipe().normalize(), DenseRetriever.producer(model, ModelFingerprint.of(model), encoder,
                Datasets.open(dataset).corpusChecksum(), "passages")))) {
      // a run that died after two shards (and a half-written third, which the resume discards)
      writer.append(encoder.encode(TextEncoder.Side.PASSAGE, encoder.tokenize(TextEncoder.Side.PASSAGE,
          texts.subList(0, 25)), 4, Progress.Task.NONE));
    }
    String report = spark("encode", "--model", model.toString(), "--dataset", dataset.toString(), "--output",
        spark.toString(), "--shard-size", "10", "--batch-size", "4", "--cache", cache.toString(), "--master",
        "local[2]");
    assertThat(report).contains("(20 already there), 4 shards encoded");
    assertSameFiles(single, spark);
    // the job's progress counts the rows of the shards it wrote, as their .done entries appear
    Path again = tmp.resolve("resume-progress");
    java.util.concurrent.atomic.AtomicLong total = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicLong stepped = new java.util.concurrent.atomic.AtomicLong();
    Progress watched = (name, n) -> {
      total.set(n);
      return new Progress.Task() {
        @Override
        public void step(long rows) {
          stepped.addAndGet(rows);
        }

        @Override
        public void close() {
        }
      };
    };
    try (org.apache.spark.api.java.JavaSparkContext context = new org.apache.spark.api.java.JavaSparkContext(
        new org.apache.spark.SparkConf().setMaster("local[2]").setAppName("progress")
            .set("spark.ui.enabled", "false"))) {
      CorpusEncodingJob.Result r = CorpusEncodingJob.run(context, new CorpusEncodingJob.Request(dataset.toString(),
          null, model.toString(), InferenceEngine.DEFAULT, cache.toString(), 4, 10, null), again, 3, watched);
      assertThat(r.shardsEncoded()).isEqualTo(6);
    }
    assertThat(total.get()).isEqualTo(57);
    assertThat(stepped.get()).isEqualTo(57);
    assertSameFiles(single, again);
  }

  @Test
  void searchesMinesAndScoresInPartsAsTheSingleNodeCommandsDo() throws IOException {
    Path vectors = tmp.resolve("search-vectors");
    spark("encode", "--model", model.toString(), "--dataset", dataset.toString(), "--output", vectors.toString(),
        "--cache", cache.toString(), "--master", "local[2]");
    Path dense = tmp.resolve("dense.trec");
    quarry("dense", "--model", model.toString(), "--dataset", dataset.toString(), "--split", "train", "--index",
        "flat", "--hits", "20", "--output", dense.toString(), "--cache", cache.toString());
    Path searched = tmp.resolve("spark.trec");
    spark("search", "--model", model.toString(), "--vectors", vectors.toString(), "--dataset", dataset.toString(),
        "--split", "train", "--hits", "20", "--output", searched.toString(), "--cache", cache.toString(), "--master",
        "local[2]", "--partitions", "4");
    assertThat(Files.readAllLines(searched)).hasSize(9 * 20).isEqualTo(Files.readAllLines(dense));

    Path groups = tmp.resolve("groups.jsonl");
    quarry("mine", "--dataset", dataset.toString(), "--split", "train", "--run", dense.toString(), "--output",
        groups.toString(), "--source", "dense", "--to", "15", "--negatives", "3");
    Path sparkGroups = tmp.resolve("spark-groups.jsonl");
    Path candidates = tmp.resolve("spark-candidates.trec");
    spark("mine", "--model", model.toString(), "--vectors", vectors.toString(), "--dataset", dataset.toString(),
        "--split", "train", "--hits", "20", "--output", sparkGroups.toString(), "--run-output",
        candidates.toString(), "--to", "15", "--negatives", "3", "--cache", cache.toString(), "--master",
        "local[2]", "--partitions", "3");
    assertThat(Files.readAllLines(candidates)).isEqualTo(Files.readAllLines(dense));
    assertThat(Files.readAllLines(sparkGroups)).hasSize(9).isEqualTo(Files.readAllLines(groups));

    Path reranker = tmp.resolve("reranker");
    try (CrossEncoder ce = CrossEncoder.fromEncoder(model, 32, 5)) {
      ce.save(reranker);
    }
    Path reranked = tmp.resolve("rerank.trec");
    quarry("rerank", "--model", reranker.toString(), "--dataset", dataset.toString(), "--split", "train", "--run",
        dense.toString(), "--top", "6", "--batch-size", "4", "--output", reranked.toString(), "--cache",
        cache.toString());
    Path scored = tmp.resolve("score.trec");
    spark("score", "--model", reranker.toString(), "--dataset", dataset.toString(), "--split", "train", "--run",
        dense.toString(), "--top", "6", "--batch-size", "4", "--output", scored.toString(), "--cache",
        cache.toString(), "--master", "local[2]", "--partitions", "4");
    assertThat(Files.readAllLines(scored)).hasSize(9 * 20).isEqualTo(Files.readAllLines(reranked))
        .isNotEqualTo(Files.readAllLines(dense));

    Path teacherGroups = tmp.resolve("teacher-groups.jsonl");
    quarry("score-groups", "--model", reranker.toString(), "--dataset", dataset.toString(), "--groups",
        groups.toString(), "--output", teacherGroups.toString(), "--batch-size", "4", "--cache", cache.toString());
    Path sparkTeacherGroups = tmp.resolve("spark-teacher-groups.jsonl");
    for (int run = 0; run < 2; run++) {   // the second run finds every score in its cache
      spark("score-groups", "--model", reranker.toString(), "--dataset", dataset.toString(), "--groups",
          groups.toString(), "--output", sparkTeacherGroups.toString(), "--batch-size", "4", "--cache",
          cache.toString(), "--master", "local[2]", "--partitions", "3");
      assertThat(Files.readAllLines(sparkTeacherGroups)).hasSize(9).isEqualTo(Files.readAllLines(teacherGroups));
      assertThat(Files.readAllLines(tmp.resolve("spark-teacher-groups.jsonl.scores.jsonl")))
          .isEqualTo(Files.readAllLines(tmp.resolve("teacher-groups.jsonl.scores.jsonl")));
    }
    assertThat(Files.readString(sparkTeacherGroups)).contains("\"teacher_score\"");
  }

  @Test
  void refusesVectorsOfAnotherModelAndHitsShallowerThanTheNegativesRanks() {
    Path vectors = tmp.resolve("other-vectors");
    spark("encode", "--model", model.toString(), "--dataset", dataset.toString(), "--output", vectors.toString(),
        "--cache", cache.toString(), "--master", "local[1]");
    Path other = TinyModels.create(tmp.resolve("other"), new EncoderRecipe(Pooling.MEAN, true, "", "", 32, 32), 6);
    StringWriter err = new StringWriter();
    int code = SparkCli.run(new String[] {"search", "--model", other.toString(), "--vectors", vectors.toString(),
        "--dataset", dataset.toString(), "--split", "train", "--output", tmp.resolve("x.trec").toString(),
        "--master", "local[1]"}, new PrintWriter(new StringWriter()), new PrintWriter(err, true));
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).startsWith("quarry spark search: the vectors in " + vectors)
        .contains("encode the corpus with this model");
    err.getBuffer().setLength(0);
    code = SparkCli.run(new String[] {"mine", "--model", model.toString(), "--vectors", vectors.toString(),
        "--dataset", dataset.toString(), "--split", "train", "--hits", "10", "--to", "30", "--output",
        tmp.resolve("g.jsonl").toString(), "--master", "local[1]"}, new PrintWriter(new StringWriter()),
        new PrintWriter(err, true));
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("--hits 10 is below --to 30");
    assertThat(Files.exists(tmp.resolve("g.jsonl"))).isFalse();
  }

  @Test
  void aTaskFailingOnBadInputReportsTheSingleNodeErrorNotSparksWrapper() {
    Path run = Fixtures.write(tmp.resolve("bad.trec"), "q1 Q0 d3 1 2.0 x\nq1 Q0 nowhere 2 1.0 x\n");
    Path reranker = tmp.resolve("bad-reranker");
    try (CrossEncoder ce = CrossEncoder.fromEncoder(model, 32, 5)) {
      ce.save(reranker);
    }
    StringWriter err = new StringWriter();
    int code = SparkCli.run(new String[] {"score", "--model", reranker.toString(), "--dataset", dataset.toString(),
        "--split", "train", "--run", run.toString(), "--output", tmp.resolve("bad-out.trec").toString(), "--cache",
        cache.toString(), "--master", "local[1]"}, new PrintWriter(new StringWriter()), new PrintWriter(err, true));
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).startsWith("quarry spark score: the run ranks document nowhere, which the corpus of")
        .doesNotContain("Job aborted").doesNotContain("\tat ");
    assertThat(tmp.resolve("bad-out.trec")).doesNotExist();
  }
}
