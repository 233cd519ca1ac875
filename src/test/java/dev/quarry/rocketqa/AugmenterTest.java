package dev.quarry.rocketqa;

import dev.quarry.data.BeirFormat;
import dev.quarry.data.Dataset;
import dev.quarry.data.Datasets;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import dev.quarry.mine.TrainGroup;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.Pooling;
import dev.quarry.model.TinyModels;
import dev.quarry.rerank.CrossEncoder;
import dev.quarry.util.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class AugmenterTest {
  @TempDir
  Path tmp;

  private Dataset dataset() throws Exception {
    Path data = tmp.resolve("data");
    List<Passage> passages = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      passages.add(new Passage("d" + i, i == 7 ? "" : "Title " + i, "passage " + i));
    }
    BeirFormat.writeCorpus(data.resolve("corpus.jsonl"), passages);
    BeirFormat.writeQueries(data.resolve("queries.jsonl"), List.of(new Query("q1", "one"), new Query("q2", "two")));
    Files.createDirectories(data.resolve("qrels"));
    Files.writeString(data.resolve("qrels/train.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\n");
    Files.writeString(data.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq2\td2\t1\n");
    return Datasets.open(data);
  }

  @Test
  void pseudoQueriesAreTitlesOfUnjudgedDocuments() throws Exception {
    Dataset d = dataset();
    List<Query> all = PseudoQueries.fromTitles(d, 100, 1);
    assertThat(all).extracting(Query::id).containsExactly("pseudo-d0", "pseudo-d3", "pseudo-d4", "pseudo-d5",
        "pseudo-d6");   // d1 and d2 are judged, d7 has no title
    assertThat(all.get(0).text()).isEqualTo("Title 0");
    assertThat(PseudoQueries.fromTitles(d, 2, 1)).hasSize(2).isEqualTo(PseudoQueries.fromTitles(d, 2, 1));
  }

  @Test
  void confidentPairsBecomePositivesAndNegatives() throws Exception {
    Dataset d = dataset();
    List<Query> queries = List.of(new Query("pseudo-d0", "Title 0"), new Query("pseudo-d3", "Title 3"));
    Run.Builder b = Run.builder("md1");
    for (int i = 0; i < 6; i++) {
      b.add("pseudo-d0", new ScoredDoc("d" + i, 10 - i));
      b.add("pseudo-d3", new ScoredDoc("d" + (5 - i), 10 - i));
    }
    Path encoder = TinyModels.create(tmp.resolve("enc"), new EncoderRecipe(Pooling.MEAN, true, "", "", 32, 32), 1);
    try (CrossEncoder ce = CrossEncoder.fromEncoder(encoder, 32, 1)) {
      float[] logits = ce.score(List.of("Title 0", "Title 0", "Title 0", "Title 0", "Title 0", "Title 0"),
          List.of("Title 0 passage 0", "Title 1 passage 1", "Title 2 passage 2", "Title 3 passage 3",
              "Title 4 passage 4", "Title 5 passage 5"), 6);
      // thresholds from the model's own scores: the best pair is positive, the two worst negatives
      float[] sorted = logits.clone();
      java.util.Arrays.sort(sorted);
      double lowCut = 1 / (1 + Math.exp(-(sorted[1] + sorted[2]) / 2.0));
      double highCut = 1 / (1 + Math.exp(-(sorted[4] + sorted[5]) / 2.0));
      Augmenter.Result r = new Augmenter(ce, 4).augment(queries, d, b.build(), 6,
          new Denoiser.Thresholds(lowCut, highCut), 1, 7, Progress.NONE);
      TrainGroup g = r.groups().stream().filter(x -> x.queryId().equals("pseudo-d0")).findFirst().orElseThrow();
      int best = 0;
      for (int i = 1; i < 6; i++) {
        best = logits[i] > logits[best] ? i : best;
      }
      assertThat(g.positives()).extracting(Passage::id).containsExactly("d" + best);
      assertThat(g.positives().get(0).title()).isEqualTo("Title " + best);
      assertThat(g.negatives()).hasSize(1);
      assertThat(g.negatives().get(0).source()).isEqualTo(Augmenter.SOURCE);
      assertThat((double) g.negatives().get(0).score()).isLessThan(lowCut);
    }
    List<TrainGroup> labeled = List.of(group("a"), group("b"), group("c"), group("d"));
    List<TrainGroup> augmented = List.of(group("x"), group("y"), group("z"));
    assertThat(Augmenter.mix(labeled, augmented, 0.5, 3)).hasSize(6).startsWith(labeled.toArray(TrainGroup[]::new));
    assertThat(Augmenter.mix(labeled, augmented, 4, 3)).hasSize(7);
  }

  @Test
  void paddingCopiesTrainableLabeledGroupsUnderIdsOfTheirOwn() {
    List<TrainGroup> labeled = List.of(group("a"), group("b"), group("c"));
    List<TrainGroup> trainable = List.of(group("a"), group("c"));
    List<TrainGroup> padded = Augmenter.padded(labeled, trainable, 5, 3);
    assertThat(padded).hasSize(8).startsWith(labeled.toArray(TrainGroup[]::new));
    List<String> copies = padded.subList(3, 8).stream().map(TrainGroup::queryId).toList();
    assertThat(copies).doesNotHaveDuplicates().allMatch(id -> id.matches("[ac]#copy[123]"));
    assertThat(copies.stream().filter(id -> id.startsWith("a")).count()).isBetween(2L, 3L);   // cycled evenly
    assertThat(padded.get(3).positives()).isEqualTo(padded.get(3).queryId().startsWith("a")
        ? group("a").positives() : group("c").positives());
    assertThat(Augmenter.padded(labeled, trainable, 5, 3)).isEqualTo(padded);
    assertThat(Augmenter.padded(labeled, trainable, 0, 3)).isEqualTo(labeled);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Augmenter.padded(labeled, List.of(), 1, 3))
        .hasMessageContaining("no trainable labeled group");
  }

  private static TrainGroup group(String q) {
    return new TrainGroup(q, q, List.of(new Passage("p" + q, "", "x")),
        List.of(TrainGroup.Negative.random(new Passage("n" + q, "", "y"))));
  }
}
