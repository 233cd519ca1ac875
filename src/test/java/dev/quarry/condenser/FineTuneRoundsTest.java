package dev.quarry.condenser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.cli.QuarryCli;
import dev.quarry.data.BeirFormat;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.io.JsonLines;
import dev.quarry.mine.TrainGroup;
import dev.quarry.mine.TrainGroupFormat;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.Pooling;
import dev.quarry.model.TinyModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** coCondenser's two fine-tuning rounds as one resumable command, on a tiny fixture. */
class FineTuneRoundsTest {
  @TempDir
  Path tmp;

  private Path fixture() throws Exception {
    Path data = tmp.resolve("data");
    List<Passage> passages = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      passages.add(new Passage("d" + i, "Topic " + (i % 10), "passage " + i + " on subject " + (i % 10)
          + " and theme " + (i % 7)));
    }
    BeirFormat.writeCorpus(data.resolve("corpus.jsonl"), passages);
    List<Query> queries = new ArrayList<>();
    StringBuilder train = new StringBuilder("query-id\tcorpus-id\tscore\n");
    StringBuilder test = new StringBuilder("query-id\tcorpus-id\tscore\n");
    for (int q = 0; q < 16; q++) {
      queries.add(new Query("q" + q, "subject " + (q % 10) + " theme " + (q % 7)));
      (q < 12 ? train : test).append("q").append(q).append("\td").append(q % 10).append("\t1\n");
    }
    BeirFormat.writeQueries(data.resolve("queries.jsonl"), queries);
    Files.createDirectories(data.resolve("qrels"));
    Files.writeString(data.resolve("qrels/train.tsv"), train.toString());
    Files.writeString(data.resolve("qrels/test.tsv"), test.toString());
    return data;
  }

  private Path configs(Path model) throws Exception {
    Files.writeString(tmp.resolve("dpr.yaml"), """
        model:
          name: %s
          passage_max_length: 16
        data:
          train: groups-replaced-by-each-round.jsonl
          dev: {queries: 2, seed: 13}
          negatives_per_query: 2
        training:
          epochs: 1
          batch_size: 4
          learning_rate: 1.0e-3
          warmup_ratio: 0.25
          temperature: 0.1
          seed: 5
          checkpoint_every: 1
          dev_evaluation: none
        """.formatted(model));
    Path rounds = tmp.resolve("rounds.yaml");
    Files.writeString(rounds, """
        train: dpr.yaml
        bm25: {from: 1, to: 10, negatives: 2}
        mined: {depth: 20, from: 2, to: 20, negatives: 3}
        seed: 13
        """);
    return rounds;
  }

  private static String run(String... args) {
    StringWriter err = new StringWriter();
    int code = QuarryCli.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err, true));
    assertThat(code).as(err.toString()).isZero();
    return err.toString();
  }

  @Test
  void twoRoundsFromThePretrainedModelTheSecondWithMinedNegativesAddedAndRerunsSkipFinishedStages()
      throws Exception {
    Path data = fixture();
    Path model = TinyModels.create(tmp.resolve("model"), new EncoderRecipe(Pooling.MEAN, true, "", "", 16, 16), 2);
    Path rounds = configs(model);
    Path out = tmp.resolve("out");
    String[] args = {"finetune-rounds", "--config", rounds.toString(), "--dataset", data.toString(), "--output",
        out.toString(), "--cache", tmp.resolve("cache").toString()};
    String first = run(args);
    assertThat(first).contains("finetune-rounds: round1 nDCG@10").contains("finetune-rounds: round2 nDCG@10");
    for (String stage : List.of("round1", "mine", "round2")) {
      assertThat(out.resolve(stage).resolve("manifest.json")).exists();
    }
    // both rounds start from the pre-trained model, not round 2 from round 1
    assertThat(Files.readString(out.resolve("round2/config.yaml"))).contains(model.toAbsolutePath().toString())
        .contains(out.resolve("mine/groups.jsonl").toAbsolutePath().toString());
    List<TrainGroup> bm25 = TrainGroupFormat.read(out.resolve("round1/groups.jsonl"));
    List<TrainGroup> merged = TrainGroupFormat.read(out.resolve("mine/groups.jsonl"));
    assertThat(merged).hasSameSizeAs(bm25);
    for (int i = 0; i < bm25.size(); i++) {
      List<TrainGroup.Negative> before = bm25.get(i).negatives();
      List<TrainGroup.Negative> after = merged.get(i).negatives();
      assertThat(after.get(0).source()).as("a round-2 step's first negative is the round-1 model's").isEqualTo("round1");
      assertThat(after.stream().filter(n -> n.source().equals("bm25")).toList()).isEqualTo(before.stream()
          .filter(n -> after.stream().anyMatch(a -> a == n || a.equals(n))).toList());
      assertThat(after.stream().map(n -> n.passage().id()).distinct().count()).isEqualTo(after.size());
    }
    assertThat(merged.stream().mapToInt(g -> g.negatives().size()).sum())
        .isGreaterThan(bm25.stream().mapToInt(g -> g.negatives().size()).sum());
    assertThat(Files.readString(out.resolve("report.md"))).contains("| round1 |").contains("| round2 |")
        .contains("paired randomization p =");

    JsonNode manifest = JsonLines.MAPPER.readTree(out.resolve("round2/manifest.json").toFile());
    String again = run(args);
    assertThat(JsonLines.MAPPER.readTree(out.resolve("round2/manifest.json").toFile())).isEqualTo(manifest);
    assertThat(again).contains("finetune-rounds: round2 nDCG@10 " + String.format(java.util.Locale.ROOT, "%.4f",
        manifest.path("test").path("ndcg@10").asDouble()));

    // a changed config does not reuse stages finished under the old one
    Files.writeString(rounds, Files.readString(rounds).replace("negatives: 3", "negatives: 4"));
    StringWriter err = new StringWriter();
    assertThat(QuarryCli.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err, true))).isEqualTo(1);
    assertThat(err.toString()).contains("stage round1").contains("was finished under another config");
  }

  @Test
  void mergeAlternatesMinedAndBm25NegativesMinedFirstAndKeepsEachPassageOnce() {
    Passage p = new Passage("p", "", "positive");
    Passage a = new Passage("a", "", "a");
    Passage b = new Passage("b", "", "b");
    Passage c = new Passage("c", "", "c");
    List<TrainGroup> bm25 = List.of(new TrainGroup("q1", "one", List.of(p), List.of(
        TrainGroup.Negative.ranked(a, "bm25", 1, 2.0), TrainGroup.Negative.ranked(b, "bm25", 2, 1.0))));
    List<TrainGroup> mined = List.of(
        new TrainGroup("q1", "one", List.of(p), List.of(TrainGroup.Negative.ranked(b, "round1", 1, 0.9),
            TrainGroup.Negative.ranked(c, "round1", 3, 0.7))),
        new TrainGroup("q2", "two", List.of(p), List.of(TrainGroup.Negative.ranked(a, "round1", 1, 0.5))));
    List<TrainGroup> merged = FineTuneRounds.merge(bm25, mined);
    assertThat(merged).extracting(TrainGroup::queryId).containsExactly("q1", "q2");
    assertThat(merged.get(0).negatives()).extracting(n -> n.passage().id() + "/" + n.source())
        .containsExactly("b/round1", "a/bm25", "c/round1");   // alternating, the mined first; b kept once
    assertThat(merged.get(1)).isEqualTo(mined.get(1));
    assertThatThrownBy(() -> new RoundsConfig.Mined(10, 3, 20, 1)).hasMessageContaining("to <= depth");
  }
}
