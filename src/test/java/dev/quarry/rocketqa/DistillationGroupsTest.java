package dev.quarry.rocketqa;

import dev.quarry.data.BeirFormat;
import dev.quarry.data.Dataset;
import dev.quarry.data.Datasets;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import dev.quarry.cli.QuarryCli;
import dev.quarry.data.TrecFormat;
import dev.quarry.mine.TrainGroup;
import dev.quarry.mine.TrainGroupFormat;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.Pooling;
import dev.quarry.model.TinyModels;
import dev.quarry.rerank.CrossEncoder;
import dev.quarry.rerank.PairJudge;
import dev.quarry.util.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DistillationGroupsTest {
  @TempDir
  Path tmp;

  /** A judge that scores passage dN as {@code score[N]} whatever the query, counting the pairs it scores. */
  private static final class TableJudge implements PairJudge {
    final double[] score;
    final AtomicInteger pairs = new AtomicInteger();

    TableJudge(double... score) {
      this.score = score;
    }

    @Override
    public float[] score(Query query, List<Passage> passages) {
      float[] out = new float[passages.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) score[Integer.parseInt(passages.get(i).id().substring(1))];
      }
      pairs.addAndGet(out.length);
      return out;
    }

    @Override
    public double probability(float s) {
      return 1 / (1 + Math.exp(-s));
    }
  }

  private Dataset dataset() throws Exception {
    Path data = tmp.resolve("data");
    List<Passage> passages = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      passages.add(new Passage("d" + i, "Title " + i, "passage " + i));
    }
    BeirFormat.writeCorpus(data.resolve("corpus.jsonl"), passages);
    BeirFormat.writeQueries(data.resolve("queries.jsonl"), List.of(new Query("q1", "one")));
    Files.createDirectories(data.resolve("qrels"));
    Files.writeString(data.resolve("qrels/train.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\n");
    return Datasets.open(data);
  }

  private static Run run() {
    Run.Builder b = Run.builder("bm25");
    for (int i = 0; i < 6; i++) {
      b.add("u1", new ScoredDoc("d" + i, 10 - i));       // d0 first, d5 sixth
    }
    b.add("u2", new ScoredDoc("d6", 3));
    b.add("u2", new ScoredDoc("d7", 2));                 // too few for a group of 1 + 3
    return b.build();
  }

  @Test
  void theJudgesBestIsThePositiveAndEveryPassageCarriesItsScore() throws Exception {
    Dataset d = dataset();
    List<Query> queries = List.of(new Query("u1", "first"), new Query("u2", "second"));
    TableJudge judge = new TableJudge(0.5, -1, 2, 4.25, -3, 1, 0, 0);   // d3 is the judge's best, at BM25 rank 4
    DistillationGroups.Result r = DistillationGroups.build(judge, "judge", queries, d, run(), "bm25", 6, 3, 7,
        tmp.resolve("scores.jsonl"), Progress.NONE);
    assertThat(r.shortOfCandidates()).isEqualTo(1);
    assertThat(r.groups()).hasSize(1);
    TrainGroup g = r.groups().get(0);
    assertThat(g.queryId()).isEqualTo("u1");
    assertThat(g.query()).isEqualTo("first");
    assertThat(g.positives()).extracting(Passage::id).containsExactly("d3");
    assertThat(g.positives().get(0).text()).isEqualTo("passage 3");
    assertThat(g.negatives()).hasSize(3);
    List<Integer> ranks = g.negatives().stream().map(TrainGroup.Negative::rank).toList();
    assertThat(ranks).isSorted().doesNotContain(4);
    for (TrainGroup.Negative n : g.negatives()) {
      int doc = Integer.parseInt(n.passage().id().substring(1));
      assertThat(n.rank()).isEqualTo(doc + 1);           // its BM25 rank and score, not the judge's
      assertThat(n.score()).isEqualTo(10.0 - doc);
      assertThat(n.source()).isEqualTo("bm25");
    }
    assertThat(g.teacherScores()).hasSize(4).containsEntry("d3", 4.25);
    g.negatives().forEach(n -> assertThat(g.teacherScores().get(n.passage().id()))
        .isEqualTo((double) (float) judge.score[Integer.parseInt(n.passage().id().substring(1))]));
  }

  @Test
  void aRerunReadsTheScoresFromItsCacheAndSamplesTheSameNegatives() throws Exception {
    Dataset d = dataset();
    List<Query> queries = List.of(new Query("u1", "first"), new Query("u2", "second"));
    Path cache = tmp.resolve("scores.jsonl");
    TableJudge judge = new TableJudge(0.5, -1, 2, 4.25, -3, 1, 0, 0);
    DistillationGroups.Result first = DistillationGroups.build(judge, "judge", queries, d, run(), "bm25", 6, 3, 7,
        cache, Progress.NONE);
    assertThat(judge.pairs.get()).isEqualTo(6);
    TableJudge again = new TableJudge(0.5, -1, 2, 4.25, -3, 1, 0, 0);
    DistillationGroups.Result second = DistillationGroups.build(again, "judge", queries, d, run(), "bm25", 6, 3, 7,
        cache, Progress.NONE);
    assertThat(again.pairs.get()).isZero();
    assertThat(second.groups()).isEqualTo(first.groups());
    DistillationGroups.Result otherSeed = DistillationGroups.build(again, "judge", queries, d, run(), "bm25", 6, 3,
        8, cache, Progress.NONE);
    assertThat(otherSeed.groups().get(0).positives()).isEqualTo(first.groups().get(0).positives());
    assertThat(otherSeed.groups().get(0).teacherScores().get("d3")).isEqualTo(4.25);
  }

  @Test
  void aRunOfMoreQueriesServesASampleAndAQueryItLacksIsCounted() throws Exception {
    Dataset d = dataset();
    List<Query> queries = List.of(new Query("u1", "first"), new Query("u9", "not in the run"));
    DistillationGroups.Result r = DistillationGroups.build(new TableJudge(0.5, -1, 2, 4.25, -3, 1, 0, 0), "judge",
        queries, d, run(), "bm25", 6, 3, 7, tmp.resolve("s.jsonl"), Progress.NONE);
    assertThat(r.groups()).extracting(TrainGroup::queryId).containsExactly("u1");
    assertThat(r.shortOfCandidates()).isEqualTo(1);
    assertThatThrownBy(() -> DistillationGroups.build(new TableJudge(0, 0, 0, 0, 0, 0, 0, 0), "judge", queries, d,
        run(), "bm25", 3, 3, 7, tmp.resolve("t.jsonl"), Progress.NONE))
        .hasMessageContaining("depth (3) must be at least");
  }

  @Test
  void aTieGoesToTheBetterRank() {
    Passage p0 = new Passage("d0", "", "a");
    Passage p1 = new Passage("d1", "", "b");
    Passage p2 = new Passage("d2", "", "c");
    TrainGroup all = new TrainGroup("u", "q", List.of(p0), List.of(TrainGroup.Negative.ranked(p1, "bm25", 2, 5),
        TrainGroup.Negative.ranked(p2, "bm25", 3, 4)), Map.of("d0", 1.0, "d1", 2.0, "d2", 2.0));
    TrainGroup g = DistillationGroups.fromScored(all, 6, "bm25", 2, 1);
    assertThat(g.positives()).containsExactly(p1);
    assertThat(g.negatives()).extracting(n -> n.passage().id()).containsExactly("d0", "d2");
    assertThat(g.negatives().get(0).rank()).isEqualTo(1);
    assertThat(g.negatives().get(0).score()).isEqualTo(6.0);
  }

  @Test
  void theCommandRetrievesWithBm25ScoresWithACrossEncoderAndWritesGroupsATrainerReads() throws Exception {
    dataset();
    Path encoder = TinyModels.create(tmp.resolve("enc"), new EncoderRecipe(Pooling.MEAN, true, "", "", 32, 32), 1);
    try (CrossEncoder ce = CrossEncoder.fromEncoder(encoder, 32, 5)) {
      ce.save(tmp.resolve("ce"));
    }
    Path queries = tmp.resolve("log.txt");
    Files.writeString(queries, "passage title\n\npassage 3\nzzzz unknown words\n");
    Path out = tmp.resolve("groups/distill.jsonl");
    StringWriter err = new StringWriter();
    String[] args = {"distill-groups", "--dataset", tmp.resolve("data").toString(), "--queries", queries.toString(),
        "--model", tmp.resolve("ce").toString(), "--depth", "5", "--negatives", "2", "--output", out.toString(),
        "--cache", tmp.resolve("cache").toString()};
    int code = QuarryCli.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err, true));
    assertThat(code).as(err.toString()).isZero();
    List<TrainGroup> groups = TrainGroupFormat.read(out);
    // line 4 matches nothing in BM25, so it has no candidates
    assertThat(groups).extracting(TrainGroup::queryId).containsExactly("unlabeled-1", "unlabeled-3");
    assertThat(err.toString()).contains("3 queries, 2 groups (1 short of 3 candidates)");
    for (TrainGroup g : groups) {
      assertThat(g.negatives()).hasSize(2);
      assertThat(g.teacherScores()).hasSize(3);
      double best = g.teacherScores().get(g.positives().get(0).id());
      assertThat(g.teacherScores().values()).allMatch(v -> v <= best);
    }
    assertThat(TrecFormat.readRun(tmp.resolve("groups/distill.jsonl.candidates.trec")).queryIds()).hasSize(2);
    assertThat(tmp.resolve("groups/distill.jsonl.scores.jsonl")).exists();

    String[] both = {"distill-groups", "--dataset", tmp.resolve("data").toString(), "--queries", queries.toString(),
        "--title-queries", "--model", tmp.resolve("ce").toString(), "--output", tmp.resolve("x.jsonl").toString()};
    assertThat(QuarryCli.run(both, new PrintWriter(new StringWriter()), new PrintWriter(err, true))).isEqualTo(2);
    assertThat(err.toString()).contains("mutually exclusive");
    String[] deep = {"distill-groups", "--dataset", tmp.resolve("data").toString(), "--title-queries", "--depth", "3",
        "--negatives", "3", "--model", tmp.resolve("ce").toString(), "--output", tmp.resolve("y.jsonl").toString()};
    assertThat(QuarryCli.run(deep, new PrintWriter(new StringWriter()), new PrintWriter(err, true))).isEqualTo(1);
    assertThat(err.toString()).contains("--negatives (3) must be below --depth (3)");
    assertThat(tmp.resolve("y.jsonl")).doesNotExist();
  }

  @Test
  void negativesMustBePositive() throws Exception {
    Dataset d = dataset();
    assertThatThrownBy(() -> DistillationGroups.build(new TableJudge(0, 0, 0, 0, 0, 0, 0, 0), "judge",
        List.of(new Query("u1", "first"), new Query("u2", "second")), d, run(), "bm25", 6, 0, 7, tmp.resolve("c.jsonl"),
        Progress.NONE))
        .hasMessageContaining("negativesPerQuery must be positive");
  }
}
