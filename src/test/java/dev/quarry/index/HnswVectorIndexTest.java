package dev.quarry.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.data.ScoredDoc;
import dev.quarry.util.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HnswVectorIndexTest extends VectorIndexContractTest {
  @TempDir
  Path tmp;

  HnswConfig hnsw() {
    return HnswConfig.DEFAULTS;
  }

  VectorIndexConfig config(Similarity similarity) {
    return VectorIndexConfig.hnsw(similarity, hnsw()).withThreads(2);
  }

  @Override
  VectorIndex build(List<String> ids, float[][] vectors, Similarity similarity) {
    return HnswVectorIndex.buildInMemory(ids, vectors, config(similarity), Progress.NONE);
  }

  @Test
  void hitsAreRescoredExactlySoScoresEqualTheFlatIndexs() {
    Random random = new Random(seed);
    float[][] vectors = gaussian(random, 400, 32);
    float[][] queries = gaussian(random, 20, 32);
    try (VectorIndex flat = FlatVectorIndex.build(ids(400), vectors, Similarity.COSINE, 1);
        VectorIndex index = build(ids(400), vectors, Similarity.COSINE)) {
      for (float[] query : queries) {
        Map<String, Double> exact = new HashMap<>();
        flat.search(query, 400).forEach(h -> exact.put(h.docId(), h.score()));
        for (ScoredDoc hit : index.search(query, 10)) {
          assertThat(hit.score()).as("seed %d", seed).isEqualTo(exact.get(hit.docId()));
        }
      }
    }
  }

  @Test
  void writesTheVectorsFormatTheConfigAsksFor() {
    try (HnswVectorIndex index = (HnswVectorIndex) build(ids(2), new float[][] {{1, 0}, {0, 1}}, Similarity.COSINE)) {
      assertThat(index.luceneFormat()).isEqualTo(hnsw().int8Quantized()
          ? "Lucene104HnswBinaryQuantizedVectorsFormat" : "Lucene99HnswVectorsFormat");
    }
  }

  @Test
  void buildsInAFolderAndReopens() {
    Random random = new Random(seed);
    float[][] vectors = gaussian(random, 300, 16);
    float[] query = gaussian(random, 1, 16)[0];
    Path folder = tmp.resolve("hnsw");
    List<ScoredDoc> first;
    try (HnswVectorIndex index = HnswVectorIndex.build(ids(300), vectors, config(Similarity.DOT_PRODUCT), folder,
        Progress.NONE)) {
      assertThat(index.path()).isEqualTo(folder);
      first = index.search(query, 10);
    }
    assertThat(folder.resolve(HnswVectorIndex.MANIFEST)).exists();
    assertThat(tmp.toFile().list()).containsExactly("hnsw");
    try (HnswVectorIndex index = HnswVectorIndex.open(folder, config(Similarity.DOT_PRODUCT))) {
      assertThat(index.size()).isEqualTo(300);
      assertThat(index.dimension()).isEqualTo(16);
      assertThat(index.search(query, 10)).isEqualTo(first);
    }
    assertThatThrownBy(() -> HnswVectorIndex.open(folder, config(Similarity.COSINE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the HNSW index in " + folder + " was built for DOT_PRODUCT similarity, but COSINE was asked for");
    assertThatThrownBy(() -> HnswVectorIndex.build(ids(300), vectors, config(Similarity.DOT_PRODUCT), folder,
        Progress.NONE))
        .hasMessage("cannot build an HNSW index in " + folder + ": it exists and is not empty");
  }

  @Test
  void aFailedBuildLeavesNoFolderBehind() throws Exception {
    Path folder = tmp.resolve("bad");
    assertThatThrownBy(() -> HnswVectorIndex.build(List.of("a", "b"), new float[][] {{1, 2}, {3}},
        config(Similarity.DOT_PRODUCT), folder, Progress.NONE))
        .hasMessage("vector 1 (id b) has dimension 1, expected 2 like vector 0");
    try (var entries = Files.list(tmp)) {
      assertThat(entries).isEmpty();
    }
  }

  @Test
  void reportsOneProgressStepPerIndexedVector() {
    long[] steps = new long[1];
    Progress counting = (name, total) -> new Progress.Task() {
      @Override
      public void step(long n) {
        steps[0] += n;
      }

      @Override
      public void close() {
      }
    };
    HnswVectorIndex.buildInMemory(ids(5), gaussian(new Random(seed), 5, 4), config(Similarity.COSINE), counting)
        .close();
    assertThat(steps[0]).isEqualTo(5);
  }

  @Test
  void configsAreValidatedWithExactMessages() {
    assertThatThrownBy(() -> new HnswConfig(0, 100, 100, false)).hasMessage("m must be positive and <= 512; m=0");
    assertThatThrownBy(() -> new HnswConfig(16, 3201, 100, false))
        .hasMessage("beamWidth must be positive and <= 3200; beamWidth=3201");
    assertThatThrownBy(() -> new HnswConfig(16, 100, 0, false)).hasMessage("efSearch must be positive; efSearch=0");
    assertThatThrownBy(() -> VectorIndexConfig.flat(Similarity.COSINE).withThreads(0))
        .hasMessage("threads must be positive; threads=0");
    assertThatThrownBy(() -> new VectorIndexConfig(IndexType.HNSW, null, HnswConfig.DEFAULTS, 1))
        .hasMessage("similarity must be DOT_PRODUCT or COSINE");
    assertThatThrownBy(() -> HnswVectorIndex.buildInMemory(List.of("a"), new float[][] {{1}},
        VectorIndexConfig.flat(Similarity.COSINE), Progress.NONE))
        .hasMessage("an HNSW index needs a config of type HNSW, found FLAT");
    assertThatThrownBy(() -> HnswVectorIndex.buildInMemory(List.of("a"), new float[][] {new float[1025]},
        config(Similarity.DOT_PRODUCT), Progress.NONE))
        .hasMessage("Lucene's HNSW supports at most 1024 dimensions; the vectors have 1025");
  }

  @Test
  void theFactoryBuildsEitherType() {
    float[][] vectors = {{1, 0}, {0, 1}};
    for (IndexType type : IndexType.values()) {
      VectorIndexConfig config = new VectorIndexConfig(type, Similarity.DOT_PRODUCT, hnsw(), 1);
      try (VectorIndex index = VectorIndexes.build(List.of("a", "b"), vectors, config, Progress.NONE)) {
        assertThat(index).isInstanceOf(type == IndexType.FLAT ? FlatVectorIndex.class : HnswVectorIndex.class);
        assertThat(index.search(new float[] {0, 2}, 1)).containsExactly(new ScoredDoc("b", 2.0));
      }
    }
  }
}
