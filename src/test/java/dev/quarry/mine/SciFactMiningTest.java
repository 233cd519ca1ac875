package dev.quarry.mine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.bm25.Bm25Config;
import dev.quarry.bm25.Bm25Index;
import dev.quarry.data.Dataset;
import dev.quarry.data.Datasets;
import dev.quarry.data.Passage;
import dev.quarry.data.Qrels;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.testing.SharedData;
import dev.quarry.util.Progress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mining SciFact train with a BM25 run made here: the training issue's setup. */
class SciFactMiningTest {
  @TempDir
  static Path tmp;
  static Dataset scifact;
  static Run bm25;
  static Map<String, Passage> corpus = new HashMap<>();

  @BeforeAll
  static void searchTrain() throws Exception {
    scifact = Datasets.open(SharedData.scifact());
    try (Bm25Index index = Bm25Index.openOrBuild(scifact, Bm25Config.FieldMode.FLAT, tmp.resolve("cache"),
        Progress.NONE)) {
      bm25 = index.searcher(Bm25Config.ANSERINI_FLAT).searchAll(scifact.queries("train"), 30, "bm25", 2, false,
          Progress.NONE);
    }
    scifact.forEachPassage(p -> corpus.put(p.id(), p));
  }

  @Test
  void everyTrainQueryGetsItsPositivesAndOneUnjudgedNegativeFromTheTop30() {
    Path output = tmp.resolve("scifact-train.jsonl");
    MiningReport report = new NegativeMiner(MiningConfig.defaults("bm25")).mine(scifact, "train", bm25, output,
        Progress.NONE);
    List<TrainGroup> groups = TrainGroupFormat.read(output);
    Qrels qrels = scifact.qrels("train");
    List<Query> queries = scifact.queries("train");

    assertThat(groups).hasSize(809).extracting(TrainGroup::queryId)
        .containsExactlyElementsOf(queries.stream().map(Query::id).toList());
    assertThat(report).isEqualTo(new MiningReport(809, 0, 0, 0, 809, 0, report.droppedJudgedRelevant(), 0));
    // counted apart from the miner: every judged-relevant document among a train query's (at most 30) BM25 hits
    long judgedInTop30 = 0;
    for (Query q : queries) {
      for (dev.quarry.data.ScoredDoc d : bm25.docs(q.id())) {
        judgedInTop30 += qrels.relevance(q.id(), d.docId()).orElse(0) >= 1 ? 1 : 0;
      }
    }
    assertThat(report.droppedJudgedRelevant()).as("the positives among the top 30").isEqualTo(judgedInTop30)
        .as("BM25 finds many positives in the top 30").isGreaterThan(400);
    Map<String, String> queryText = queries.stream().collect(Collectors.toMap(Query::id, Query::text));
    for (TrainGroup g : groups) {
      Set<String> relevant = qrels.judgments(g.queryId()).entrySet().stream().filter(e -> e.getValue() >= 1)
          .map(Map.Entry::getKey).collect(Collectors.toSet());
      assertThat(g.query()).isEqualTo(queryText.get(g.queryId()));
      assertThat(g.positives()).extracting(Passage::id).containsExactlyInAnyOrderElementsOf(relevant);
      assertThat(g.positives()).allSatisfy(p -> assertThat(p).isEqualTo(corpus.get(p.id())));
      assertThat(g.negatives()).hasSize(1);
      TrainGroup.Negative n = g.negatives().get(0);
      assertThat(n.source()).isEqualTo("bm25");
      assertThat(n.rank()).isBetween(1, 30);
      assertThat(relevant).doesNotContain(n.passage().id());
      assertThat(n.passage()).isEqualTo(corpus.get(n.passage().id()));
      assertThat(dev.quarry.data.TrecOrder.sorted(bm25.docs(g.queryId())).get(n.rank() - 1).docId())
          .isEqualTo(n.passage().id());
    }
  }

  @Test
  void trainMinusASeededDevSetMinesTheSameGroupsForTheQueriesItKeeps() {
    List<Query> queries = scifact.queries("train");
    DevSplit split = DevSplit.carveQueries(queries, 100, 13);
    assertThat(split.dev()).hasSize(100);
    assertThat(split.train()).hasSize(709).doesNotContainAnyElementsOf(split.dev());

    NegativeMiner miner = new NegativeMiner(new MiningConfig("bm25", 1, 30, 2, 1, 13, PositiveRule.QRELS));
    List<TrainGroup> all = new ArrayList<>();
    miner.mine(scifact, "train", queries, bm25, all::add, Progress.NONE);
    List<TrainGroup> train = new ArrayList<>();
    MiningReport report = miner.mine(scifact, "train", DevSplit.select(queries, split.train()), bm25, train::add,
        Progress.NONE);
    assertThat(report.queriesWritten()).isEqualTo(709);
    assertThat(report.randomNegatives()).isEqualTo(709);
    Set<String> trainIds = Set.copyOf(split.train());
    assertThat(train).isEqualTo(all.stream().filter(g -> trainIds.contains(g.queryId())).toList());
  }
}
