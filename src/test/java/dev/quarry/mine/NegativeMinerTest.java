package dev.quarry.mine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.data.Dataset;
import dev.quarry.data.Datasets;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.TrecFormat;
import dev.quarry.io.Fixtures;
import dev.quarry.util.Progress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mining on the tiny dataset of {@link MiningFixtures}: what may be a negative, sampling, random negatives. */
class NegativeMinerTest {
  @TempDir
  Path dir;

  private Dataset dataset;
  private Run run;

  @BeforeEach
  void data() {
    dataset = Datasets.open(MiningFixtures.beir(dir.resolve("beir")));
    run = TrecFormat.readAnyRun(MiningFixtures.run(dir.resolve("bm25.trec")));
  }

  record Mined(List<TrainGroup> groups, MiningReport report) {
    Map<String, TrainGroup> byId() {
      return groups.stream().collect(Collectors.toMap(TrainGroup::queryId, Function.identity(), (a, b) -> a,
          LinkedHashMap::new));
    }
  }

  static Mined mine(MiningConfig config, Dataset dataset, List<Query> queries, Run run) {
    List<TrainGroup> groups = new ArrayList<>();
    MiningReport report = new NegativeMiner(config).mine(dataset, "train", queries, run, groups::add, Progress.NONE);
    return new Mined(groups, report);
  }

  private Mined mine(MiningConfig config) {
    return mine(config, dataset, dataset.queries("train"), run);
  }

  private static List<String> ids(List<TrainGroup.Negative> negatives) {
    return negatives.stream().map(n -> n.passage().id()).toList();
  }

  private static List<TrainGroup.Negative> fromRun(TrainGroup g) {
    return g.negatives().stream().filter(n -> !n.source().equals(MiningConfig.RANDOM_SOURCE)).toList();
  }

  private static List<TrainGroup.Negative> randoms(TrainGroup g) {
    return g.negatives().stream().filter(n -> n.source().equals(MiningConfig.RANDOM_SOURCE)).toList();
  }

  @Test
  void takesTheRankRangeInTrecOrderAndLeavesOutJudgedRelevantOnly() {
    // ask for more than there are: every eligible candidate of ranks 2..4 is taken
    Mined m = mine(new MiningConfig("bm25", 2, 4, 10, 0, 13, PositiveRule.QRELS));
    Map<String, TrainGroup> g = m.byId();
    assertThat(g.keySet()).containsExactly("q1", "q2", "q3", "q5");

    TrainGroup q1 = g.get("q1");
    assertThat(q1.query()).isEqualTo("first query");
    assertThat(q1.positives()).containsExactly(new Passage("d1", "Title 1", "Text of passage 1."),
        new Passage("d2", "Title 2", "Text of passage 2."));
    // rank 2 d4, rank 3 d1 (relevant: left out), rank 4 d3 (judged 0: allowed)
    assertThat(q1.negatives()).containsExactly(
        TrainGroup.Negative.ranked(new Passage("d4", "Title 4", "Text of passage 4."), "bm25", 2, 9.0),
        TrainGroup.Negative.ranked(new Passage("d3", "Title 3", "Text of passage 3."), "bm25", 4, 7.0));
    // d1 is relevant to q1 only: for q2 it is an ordinary candidate
    assertThat(ids(g.get("q2").negatives())).containsExactly("d6", "d1", "d2");
    // q3's tie at 2.0 goes by id descending: d8 rank 1, d7 (relevant) rank 2, d9 rank 3
    assertThat(g.get("q3").negatives()).extracting(n -> n.passage().id(), TrainGroup.Negative::rank)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("d9", 3));
    assertThat(g.get("q5").negatives()).isEmpty();

    assertThat(m.report()).isEqualTo(new MiningReport(4, 1, 1, 3, 6, 0, 2, 0));
    assertThat(m.report().meanNegativesPerQuery()).isEqualTo(1.5);
  }

  @Test
  void samplesUniformlyFromEligibleCandidatesOnly() {
    Set<String> eligibleForQ1 = Set.of("d4", "d3", "d5", "d6", "d7", "d8", "d10", "d11");
    Map<String, Integer> rankOf = Map.of("d4", 2, "d3", 4, "d5", 5, "d6", 6, "d7", 7, "d8", 8, "d10", 9, "d11", 10);
    Set<String> seen = new HashSet<>();
    for (long seed = 0; seed < 60; seed++) {
      Mined m = mine(new MiningConfig("bm25", 1, 30, 3, 0, seed, PositiveRule.QRELS));
      TrainGroup q1 = m.byId().get("q1");
      assertThat(q1.negatives()).hasSize(3);
      assertThat(ids(q1.negatives())).doesNotHaveDuplicates().isSubsetOf(eligibleForQ1);
      assertThat(q1.negatives()).allSatisfy(n -> assertThat(n.rank()).isEqualTo(rankOf.get(n.passage().id())));
      assertThat(q1.negatives()).extracting(TrainGroup.Negative::rank).isSorted();
      seen.addAll(ids(q1.negatives()));
      // every positive in range (q1: d2 at 1 and d1 at 3; q2: d5 at 1; q3: d7 at 2) is dropped and counted
      assertThat(m.report().droppedJudgedRelevant()).isEqualTo(4);
      assertThat(m.report().shortOfNegatives()).as("q2 has 3 eligible, q3 has 2").isEqualTo(1);
    }
    assertThat(seen).as("every eligible candidate is sampled under some seed").isEqualTo(eligibleForQ1);
  }

  @Test
  void reproducesTheDocumentedSamplingRule() {
    // worked out with a Python port of java.util.Random and the rule in NegativeMiner's javadoc
    TrainGroup q1 = mine(new MiningConfig("bm25", 1, 10, 3, 2, 13, PositiveRule.QRELS)).byId().get("q1");
    assertThat(q1.negatives()).extracting(n -> n.passage().id(), TrainGroup.Negative::rank).containsExactly(
        org.assertj.core.groups.Tuple.tuple("d4", 2), org.assertj.core.groups.Tuple.tuple("d5", 5),
        org.assertj.core.groups.Tuple.tuple("d10", 9), org.assertj.core.groups.Tuple.tuple("d9", null),
        org.assertj.core.groups.Tuple.tuple("d6", null));
  }

  @Test
  void sameSeedSameGroupsWhateverTheQueryOrderOrSubset() {
    MiningConfig config = new MiningConfig("bm25", 1, 10, 2, 2, 7, PositiveRule.QRELS);
    List<Query> queries = dataset.queries("train");
    Mined first = mine(config);
    Mined again = mine(config);
    assertThat(again.groups()).isEqualTo(first.groups());

    List<Query> reversed = new ArrayList<>(queries);
    java.util.Collections.reverse(reversed);
    Mined backwards = mine(config, dataset, reversed, run);
    assertThat(backwards.groups()).extracting(TrainGroup::queryId).containsExactly("q5", "q3", "q2", "q1");
    assertThat(backwards.byId()).isEqualTo(first.byId());
    assertThat(backwards.report()).isEqualTo(first.report());

    Mined alone = mine(config, dataset, List.of(queries.get(0)), run);
    assertThat(alone.groups()).containsExactly(first.byId().get("q1"));

    Set<List<TrainGroup>> outcomes = new HashSet<>();
    for (long seed = 0; seed < 10; seed++) {
      outcomes.add(mine(new MiningConfig("bm25", 1, 10, 2, 2, seed, PositiveRule.QRELS)).groups());
    }
    assertThat(outcomes).as("the seed matters").hasSizeGreaterThan(1);
  }

  @Test
  void randomNegativesAreDistinctAndNeverPositivesOrHardNegatives() {
    Set<String> corpus = new HashSet<>();
    dataset.forEachPassage(p -> corpus.add(p.id()));
    for (long seed = 0; seed < 30; seed++) {
      Mined m = mine(new MiningConfig("bm25", 1, 10, 1, 3, seed, PositiveRule.QRELS));
      for (TrainGroup g : m.groups()) {
        List<TrainGroup.Negative> random = randoms(g);
        assertThat(random).hasSize(3).allSatisfy(n -> {
          assertThat(n.rank()).isNull();
          assertThat(n.score()).isNull();
          assertThat(n.passage().title()).isEqualTo("Title " + n.passage().id().substring(1));
        });
        Set<String> positives = g.positives().stream().map(Passage::id).collect(Collectors.toSet());
        assertThat(ids(random)).doesNotHaveDuplicates().isSubsetOf(corpus)
            .noneMatch(positives::contains)
            .noneMatch(ids(fromRun(g))::contains);
        assertThat(g.negatives().subList(0, fromRun(g).size())).as("run negatives come first").isEqualTo(fromRun(g));
      }
      assertThat(m.byId().get("q5").negatives()).as("not in the run: random only").hasSize(3);
      assertThat(m.report().withoutCandidates()).isEqualTo(1);
      assertThat(m.report().randomNegatives()).isEqualTo(12);
      assertThat(m.report().hardNegatives()).isEqualTo(3);
    }
  }

  @Test
  void randomNegativesStopWhenTheCorpusRunsOut() {
    Mined m = mine(new MiningConfig("bm25", 1, 1, 1, 50, 3, PositiveRule.QRELS));
    TrainGroup q1 = m.byId().get("q1");
    // 12 passages, minus the positives d1 and d2; rank 1 is d2, a positive, so no run negative
    assertThat(fromRun(q1)).isEmpty();
    assertThat(ids(randoms(q1))).containsExactlyInAnyOrder("d3", "d4", "d5", "d6", "d7", "d8", "d9", "d10", "d11",
        "d12");
    TrainGroup q2 = m.byId().get("q2");
    assertThat(fromRun(q2)).isEmpty();
    assertThat(randoms(q2)).hasSize(11);
  }

  @Test
  void aRunDocumentOutsideTheCorpusIsAnError() {
    Run bad = TrecFormat.readAnyRun(Fixtures.write(dir.resolve("bad.trec"), "q1 Q0 d99 1 5.0 x\n"));
    assertThatThrownBy(() -> mine(new MiningConfig("bm25", 1, 1, 1, 0, 1, PositiveRule.QRELS), dataset,
        dataset.queries("train"), bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the run ranks document d99 for query q1, but the corpus has no such document");
  }

  @Test
  void answersRuleNeedsADatasetWithAnswers() {
    assertThatThrownBy(() -> mine(new MiningConfig("bm25", 1, 10, 1, 0, 1, PositiveRule.ANSWERS)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the ANSWERS positive rule needs a dataset with answers (SQuAD or DPR); ")
        .hasMessageEndingWith("(BEIR) has none");
  }

  @Test
  void answersRuleNeverTakesAPassageContainingAnAnswer() {
    Dataset squad = Datasets.open(MiningFixtures.squad(dir.resolve("squad")));
    Run squadRun = TrecFormat.readAnyRun(MiningFixtures.squadRun(dir.resolve("squad.trec")));
    List<Query> queries = squad.queries("dev");
    Function<MiningConfig, Mined> mineSquad = config -> {
      List<TrainGroup> groups = new ArrayList<>();
      MiningReport report = new NegativeMiner(config).mine(squad, "dev", queries, squadRun, groups::add,
          Progress.NONE);
      return new Mined(groups, report);
    };

    Mined answers = mineSquad.apply(new MiningConfig("bm25", 1, 10, 10, 0, 13, PositiveRule.ANSWERS));
    TrainGroup s1 = answers.byId().get("s1");
    assertThat(s1.positives()).containsExactly(new Passage("Super_Bowl_50_p0", "Super Bowl 50",
        "The Denver Broncos defeated the Carolina Panthers to win Super Bowl 50."));
    // p1 and p3 (other casing) name the Broncos; p0 is the gold paragraph
    assertThat(s1.negatives()).extracting(n -> n.passage().id(), TrainGroup.Negative::rank)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("Super_Bowl_50_p2", 3));
    assertThat(ids(answers.byId().get("s2").negatives())).containsExactly("Super_Bowl_50_p0");
    assertThat(answers.report().droppedJudgedRelevant()).isEqualTo(2);
    assertThat(answers.report().droppedContainingAnswer()).isEqualTo(2);

    Mined qrels = mineSquad.apply(new MiningConfig("bm25", 1, 10, 10, 0, 13, PositiveRule.QRELS));
    assertThat(ids(qrels.byId().get("s1").negatives()))
        .containsExactly("Super_Bowl_50_p1", "Super_Bowl_50_p2", "Super_Bowl_50_p3");
    assertThat(qrels.report().droppedContainingAnswer()).isZero();

    // random negatives obey the rule too: for s1 only p2 is neither gold nor names the Broncos
    Mined random = mineSquad.apply(new MiningConfig("bm25", 1, 1, 1, 5, 13, PositiveRule.ANSWERS));
    assertThat(random.byId().get("s1").negatives()).containsExactly(TrainGroup.Negative.random(
        new Passage("Super_Bowl_50_p2", "Super Bowl 50",
            "The game was played at Levi's Stadium in Santa Clara, California.")));
    TrainGroup s2 = random.byId().get("s2");
    assertThat(ids(fromRun(s2))).containsExactly("Super_Bowl_50_p0");
    assertThat(ids(randoms(s2))).containsExactlyInAnyOrder("Super_Bowl_50_p1", "Super_Bowl_50_p3");
    assertThat(random.report()).isEqualTo(new MiningReport(2, 0, 0, 1, 1, 3, 0, 1));
  }
}
