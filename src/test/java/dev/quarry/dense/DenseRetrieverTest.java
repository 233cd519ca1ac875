package dev.quarry.dense;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.data.BeirFormat;
import dev.quarry.data.Dataset;
import dev.quarry.data.Datasets;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import dev.quarry.index.HnswConfig;
import dev.quarry.index.IndexType;
import dev.quarry.model.InferenceEngine;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.Pooling;
import dev.quarry.model.TinyModels;
import dev.quarry.util.Progress;
import dev.quarry.vectors.VectorReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dense pipeline end to end on a tiny random model and a small BEIR dataset. */
class DenseRetrieverTest {
  @TempDir
  Path tmp;
  Dataset dataset;
  Path model;

  @BeforeEach
  void setUp() throws Exception {
    Path data = tmp.resolve("data");
    List<Passage> passages = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      passages.add(new Passage("d" + i, "Title " + i, "passage number " + i + " about topic " + (i % 7)));
    }
    BeirFormat.writeCorpus(data.resolve("corpus.jsonl"), passages);
    BeirFormat.writeQueries(data.resolve("queries.jsonl"),
        List.of(new Query("q1", "passage number 3 about topic 3"), new Query("q2", "topic 5")));
    Files.createDirectories(data.resolve("qrels"));
    Files.writeString(data.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq1\td3\t1\nq2\td5\t1\n");
    dataset = Datasets.open(data);
    model = TinyModels.create(tmp.resolve("model"), new EncoderRecipe(Pooling.MEAN, true, "q: ", "p: ", 32, 32), 7);
  }

  private DenseConfig config(IndexType type) {
    return new DenseConfig(model.toString(), type, HnswConfig.DEFAULTS, 10, 8, tmp.resolve("cache"),
        InferenceEngine.LIBTORCH);
  }

  @Test
  void flatAndHnswAgreeAndTheCorpusIsEncodedOnce() {
    DenseRetriever.Outcome flat = DenseRetriever.retrieve(dataset, "test", config(IndexType.FLAT), "t", Progress.NONE);
    assertThat(flat.corpusEncoding().resumedFrom()).isZero();
    assertThat(flat.corpusEncoding().count()).isEqualTo(40);
    DenseRetriever.Outcome hnsw = DenseRetriever.retrieve(dataset, "test", config(IndexType.HNSW), "t", Progress.NONE);
    assertThat(hnsw.corpusEncoding().resumedFrom()).as("cached vectors reused").isEqualTo(40);
    assertThat(hnsw.corpusVectors()).isEqualTo(flat.corpusVectors());
    Run a = flat.run();
    Run b = hnsw.run();
    for (String q : List.of("q1", "q2")) {
      assertThat(a.docs(q)).hasSize(10);
      assertThat(b.docs(q)).extracting(ScoredDoc::docId).isEqualTo(a.docs(q).stream().map(ScoredDoc::docId).toList());
    }
    try (VectorReader vectors = VectorReader.open(flat.corpusVectors())) {
      assertThat(vectors.ids()).hasSize(40).startsWith("d0", "d1");
      assertThat(vectors.producer().path("recipe").path("passage_prefix").asText()).isEqualTo("p: ");
      assertThat(vectors.normalized()).isTrue();
    }
  }

  @Test
  void aChangedModelGetsItsOwnVectors() throws Exception {
    Path first = DenseRetriever.retrieve(dataset, "test", config(IndexType.FLAT), "t", Progress.NONE).corpusVectors();
    TinyModels.create(model, new EncoderRecipe(Pooling.CLS, true, "q: ", "p: ", 32, 32), 7);   // new recipe file
    DenseRetriever.Outcome second = DenseRetriever.retrieve(dataset, "test", config(IndexType.FLAT), "t", Progress.NONE);
    assertThat(second.corpusVectors()).isNotEqualTo(first);
    assertThat(second.corpusEncoding().resumedFrom()).isZero();
  }
}
