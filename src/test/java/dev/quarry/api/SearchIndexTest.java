package dev.quarry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.cli.QuarryCli;
import dev.quarry.data.BeirFormat;
import dev.quarry.data.Datasets;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.io.Fixtures;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.Pooling;
import dev.quarry.model.TinyModels;
import dev.quarry.util.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search index of a small corpus with a tiny model: searching it gives exactly the runs of {@code bm25},
 * {@code dense} and {@code fuse} on the same data; its build resumes and refuses to mix; its outputs and Java API.
 */
class SearchIndexTest {
  private static final String[] ANIMALS = {"cat", "dog", "horse", "otter", "eagle", "salmon", "beetle", "whale"};
  private static final String[] TOPICS = {"food", "sleep", "habitat", "migration", "young"};

  @TempDir
  Path tmp;
  Path data;
  Path model;
  Path cache;

  @BeforeEach
  void fixture() throws Exception {
    data = tmp.resolve("data");
    List<Passage> passages = new ArrayList<>();
    for (String animal : ANIMALS) {
      for (String topic : TOPICS) {
        passages.add(new Passage(animal + "-" + topic, animal + " " + topic, "How the " + animal + " handles "
            + topic + ": notes on the " + animal + " and its " + topic + " through the seasons."));
      }
    }
    BeirFormat.writeCorpus(data.resolve("corpus.jsonl"), passages);
    List<Query> queries = new ArrayList<>();
    StringBuilder qrels = new StringBuilder("query-id\tcorpus-id\tscore\n");
    for (int i = 0; i < ANIMALS.length; i++) {
      String topic = TOPICS[i % TOPICS.length];
      queries.add(new Query("q" + i, "where does the " + ANIMALS[i] + " go for " + topic));
      qrels.append("q").append(i).append('\t').append(ANIMALS[i]).append('-').append(topic).append("\t1\n");
    }
    BeirFormat.writeQueries(data.resolve("queries.jsonl"), queries);
    Fixtures.write(data.resolve("qrels/test.tsv"), qrels.toString());
    model = TinyModels.create(tmp.resolve("model"), new EncoderRecipe(Pooling.MEAN, true, "", "", 32, 32), 5);
    cache = tmp.resolve("cache");
  }

  private String quarry(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = QuarryCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    assertThat(code).as(String.join(" ", args) + "\n" + err).isZero();
    return out.toString();
  }

  private String fails(String... args) {
    StringWriter err = new StringWriter();
    int code = QuarryCli.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err, true));
    assertThat(code).as(String.join(" ", args)).isNotZero();
    return err.toString();
  }

  private Path topics() {
    StringBuilder tsv = new StringBuilder();
    for (Query q : Datasets.open(data).queries("test")) {
      tsv.append(q.id()).append('\t').append(q.text()).append('\n');
    }
    return Fixtures.write(tmp.resolve("topics.tsv"), tsv.toString());
  }

  @Test
  void searchingTheIndexGivesTheRunsOfBm25DenseAndFuseOnTheSameData() throws Exception {
    Path index = tmp.resolve("index");
    quarry("index", "--dataset", data.toString(), "--model", model.toString(), "--output", index.toString(),
        "--cache", cache.toString());
    assertThat(index.resolve("manifest.json")).exists();
    assertThat(index.resolve("build.json")).doesNotExist();
    String topics = topics().toString();
    String[] common = {"--dataset", data.toString(), "--split", "test", "--cache", cache.toString()};

    quarry(concat(common, "bm25", "--output", tmp.resolve("bm25.trec").toString(), "--tag", "t"));
    quarry("search", "--index", index.toString(), "--topics", topics, "--mode", "bm25", "--tag", "t", "--output",
        tmp.resolve("search-bm25.trec").toString());
    assertSameFile("search-bm25.trec", "bm25.trec");

    quarry(concat(common, "dense", "--model", model.toString(), "--output", tmp.resolve("dense.trec").toString(),
        "--tag", "t"));
    quarry("search", "--index", index.toString(), "--topics", topics, "--mode", "dense", "--tag", "t", "--output",
        tmp.resolve("search-dense.trec").toString());
    assertSameFile("search-dense.trec", "dense.trec");

    quarry("fuse", "--method", "rrf", "--run", tmp.resolve("bm25.trec").toString(), "--run",
        tmp.resolve("dense.trec").toString(), "--hits", "7", "--tag", "t", "--output",
        tmp.resolve("fused.trec").toString());
    quarry("search", "--index", index.toString(), "--topics", topics, "--mode", "hybrid", "--hits", "7", "--tag", "t",
        "--output", tmp.resolve("search-hybrid.trec").toString());
    assertSameFile("search-hybrid.trec", "fused.trec");

    // one query on the command line: a table of the top hits with their titles
    String table = quarry("search", "--index", index.toString(), "--query", "otter habitat", "--mode", "bm25");
    assertThat(table.lines().skip(1).findFirst().orElseThrow()).matches("\\s+1\\s+otter-habitat\\s+.*otter habitat");
    assertThat(table).contains("10 hits in");
  }

  @Test
  void anHnswIndexSearchesAsDenseWithTheSameGraph() throws Exception {
    Path index = tmp.resolve("index");
    quarry("index", "--dataset", data.toString(), "--model", model.toString(), "--output", index.toString(),
        "--cache", cache.toString(), "--index", "hnsw", "--hnsw-m", "8", "--hnsw-beam", "20", "--ef-search", "10");
    quarry("dense", "--dataset", data.toString(), "--split", "test", "--cache", cache.toString(), "--model",
        model.toString(), "--index", "hnsw", "--hnsw-m", "8", "--hnsw-beam", "20", "--ef-search", "10", "--hits", "5",
        "--tag", "t", "--output", tmp.resolve("dense-hnsw.trec").toString());
    quarry("search", "--index", index.toString(), "--topics", topics().toString(), "--mode", "dense", "--hits", "5",
        "--tag", "t", "--output", tmp.resolve("search-hnsw.trec").toString());
    assertSameFile("search-hnsw.trec", "dense-hnsw.trec");
  }

  private static String[] concat(String[] common, String command, String... more) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(common));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private void assertSameFile(String actual, String expected) throws Exception {
    assertThat(Files.readString(tmp.resolve(actual))).as(actual).isEqualTo(Files.readString(tmp.resolve(expected)));
  }

  @Test
  void searchWithRerankGivesTheRankingOfTheRerankCommand() throws Exception {
    Path index = tmp.resolve("index");
    quarry("index", "--dataset", data.toString(), "--model", model.toString(), "--output", index.toString(),
        "--cache", cache.toString());
    Path ce = tmp.resolve("ce");
    try (dev.quarry.rerank.CrossEncoder encoder = dev.quarry.rerank.CrossEncoder.fromEncoder(model, 32, 7)) {
      encoder.save(ce);
    }
    String topics = topics().toString();
    quarry("search", "--index", index.toString(), "--topics", topics, "--mode", "bm25", "--tag", "t", "--output",
        tmp.resolve("bm25.trec").toString());
    quarry("rerank", "--dataset", data.toString(), "--split", "test", "--model", ce.toString(), "--run",
        tmp.resolve("bm25.trec").toString(), "--top", "5", "--output", tmp.resolve("reranked.trec").toString());
    quarry("search", "--index", index.toString(), "--topics", topics, "--mode", "bm25", "--tag", "t", "--rerank",
        ce.toString(), "--top", "5", "--output", tmp.resolve("search-reranked.trec").toString());
    assertThat(withoutTags("search-reranked.trec")).isEqualTo(withoutTags("reranked.trec"))
        .isNotEqualTo(withoutTags("bm25.trec"));
  }

  /** A TREC run's lines without their sixth column (the tag, which each command names its own way). */
  private List<String> withoutTags(String run) throws Exception {
    return Files.readAllLines(tmp.resolve(run)).stream().map(l -> l.substring(0, l.lastIndexOf(' '))).toList();
  }

  @Test
  void outputFormatsAndTheJavaApi() throws Exception {
    Path index = tmp.resolve("index");
    quarry("index", "--dataset", data.toString(), "--model", model.toString(), "--output", index.toString(),
        "--cache", cache.toString(), "--index", "hnsw");
    String topics = topics().toString();
    quarry("search", "--index", index.toString(), "--topics", topics, "--mode", "bm25", "--hits", "2",
        "--output-format", "msmarco", "--output", tmp.resolve("run.tsv").toString());
    assertThat(Files.readAllLines(tmp.resolve("run.tsv"))).hasSize(16).startsWith("q0\tcat-food\t1");
    quarry("search", "--index", index.toString(), "--topics", topics, "--mode", "bm25", "--hits", "1",
        "--output-format", "jsonl", "--output", tmp.resolve("run.jsonl").toString());
    assertThat(Files.readAllLines(tmp.resolve("run.jsonl")).get(0)).startsWith("{\"query_id\":\"q0\","
        + "\"query\":\"where does the cat go for food\",\"rank\":1,\"doc_id\":\"cat-food\",\"score\":")
        .endsWith("\"title\":\"cat food\",\"text\":\"How the cat handles food: notes on the cat and its food through "
            + "the seasons.\"}");

    try (SearchIndex opened = SearchIndex.open(index)) {
      assertThat(opened.manifest().documents()).isEqualTo(40);
      assertThat(opened.manifest().spec().vectors()).isEqualTo(dev.quarry.index.IndexType.HNSW);
      assertThat(opened.manifest().recipe()).isEqualTo(new EncoderRecipe(Pooling.MEAN, true, "", "", 32, 32));
      List<Hit> hits = opened.search("the whale and its migration", SearchMode.BM25, 3);
      assertThat(hits).extracting(Hit::rank).containsExactly(1, 2, 3);
      assertThat(hits.get(0).id()).isEqualTo("whale-migration");
      assertThat(hits.get(0).title()).isEqualTo("whale migration");
      // (hybrid's ranks equal quarry fuse's: the test above; with a random tiny model dense can outvote BM25)
      assertThat(opened.search("the whale and its migration", SearchMode.HYBRID, 3))
          .allMatch(h -> h.title().equals(h.id().replace('-', ' ')), "hits carry their passage's title");
      // the HNSW graph finds what exact search finds on 40 passages
      List<Hit> dense = opened.search("the whale and its migration", SearchMode.DENSE, 5);
      try (Encoder encoder = Encoder.load(model, opened.manifest().spec().engine())) {
        float[] q = encoder.encodeQuery("the whale and its migration");
        float[][] p = encoder.encodePassages(dense.stream()
            .map(h -> new Passage(h.id(), h.title(), h.text()).titleAndText()).toList());
        for (int i = 0; i < dense.size(); i++) {
          assertThat(Encoder.score(q, p[i])).as(dense.get(i).id()).isCloseTo(dense.get(i).score(),
              org.assertj.core.data.Offset.offset(1e-4));
        }
      }
    }
  }

  @Test
  void anUnfinishedBuildResumesAndAnotherBuildIsNotMixedIn() throws Exception {
    Path index = tmp.resolve("index");
    Progress crash = (name, total) -> {
      if (name.equals("encode passages")) {
        throw new IllegalStateException("simulated crash");
      }
      return Progress.Task.NONE;
    };
    IndexSpec spec = IndexSpec.of(model.toString());
    assertThatThrownBy(() -> SearchIndexBuilder.build(Datasets.open(data), spec, index, cache, crash))
        .hasMessage("simulated crash");
    assertThat(index.resolve("bm25")).isDirectory();
    assertThat(fails("search", "--index", index.toString(), "--query", "cat")).contains("is not a finished search "
        + "index: it has no manifest.json (run the same quarry index command again to finish the build)");
    Path other = TinyModels.create(tmp.resolve("other"), new EncoderRecipe(Pooling.CLS, true, "", "", 32, 32), 6);
    assertThat(fails("index", "--dataset", data.toString(), "--model", other.toString(), "--output",
        index.toString(), "--cache", cache.toString())).contains("holds an unfinished build of another corpus or spec");

    SearchIndexBuilder.build(Datasets.open(data), spec, index, cache, Progress.NONE);
    Path fresh = tmp.resolve("fresh");
    SearchIndexBuilder.build(Datasets.open(data), spec, fresh, cache, Progress.NONE);
    List<String> files;
    try (var list = Files.list(fresh.resolve("vectors"))) {
      files = list.map(f -> f.getFileName().toString()).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThan(1);
    for (String file : files) {
      assertThat(Files.mismatch(index.resolve("vectors").resolve(file), fresh.resolve("vectors").resolve(file)))
          .as(file).isEqualTo(-1);
    }
    assertThat(fails("index", "--dataset", data.toString(), "--model", model.toString(), "--output",
        index.toString(), "--cache", cache.toString())).contains("is a finished search index already");
    assertThat(fails("index", "--dataset", data.toString(), "--model", model.toString(), "--output",
        data.toString(), "--cache", cache.toString())).contains("is not empty and not a search index being built");
  }

  @Test
  void anIndexReusesTheVectorsDenseCachedForTheSameModelAndCorpus() throws Exception {
    quarry("dense", "--dataset", data.toString(), "--split", "test", "--model", model.toString(), "--cache",
        cache.toString(), "--output", tmp.resolve("dense.trec").toString());
    java.util.List<Long> firstSteps = new java.util.ArrayList<>();
    Progress watching = (name, total) -> name.equals("encode passages") ? new Progress.Task() {
      @Override
      public void step(long n) {
        if (firstSteps.isEmpty()) {
          firstSteps.add(n);
        }
      }

      @Override
      public void close() {
      }
    } : Progress.Task.NONE;
    Path index = tmp.resolve("index");
    SearchIndexBuilder.build(Datasets.open(data), IndexSpec.of(model.toString()), index, cache, watching);
    assertThat(firstSteps).as("the encoding resumed at its end: nothing encoded").containsExactly(40L);
    try (SearchIndex opened = SearchIndex.open(index)) {
      assertThat(opened.manifest().documents()).isEqualTo(40);
    }
  }

  @Test
  void anIndexWhoseModelChangedIsRefused() throws Exception {
    Path index = tmp.resolve("index");
    SearchIndexBuilder.build(Datasets.open(data), IndexSpec.of(model.toString()), index, cache, Progress.NONE);
    TinyModels.create(model, new EncoderRecipe(Pooling.MEAN, true, "", "", 32, 32), 99);
    assertThatThrownBy(() -> SearchIndex.open(index)).hasMessageContaining("has changed since the index in")
        .hasMessageContaining("rebuild the index");
    Files.writeString(index.resolve("manifest.json"), Files.readString(index.resolve("manifest.json"))
        .replace("\"vectors\" : \"flat\"", "\"vectors\" : 3"));
    assertThatThrownBy(() -> IndexManifest.read(index)).hasMessage(index.resolve("manifest.json")
        + ": field \"vectors\" must be a string, found 3");
  }
}
