package dev.quarry.reader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.data.Dataset;
import dev.quarry.data.Datasets;
import dev.quarry.data.Passage;
import dev.quarry.data.TrecFormat;
import dev.quarry.model.BundledModel;
import dev.quarry.rerank.Candidates;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReaderExamplesTest {
  @TempDir
  Path tmp;
  Dataset dataset;
  Candidates candidates;
  ReaderTokenizer tokenizer;

  @BeforeEach
  void setUp() throws Exception {
    dataset = Datasets.open(ReaderFixtures.squad(tmp.resolve("squad")));
    candidates = Candidates.of(dataset, "dev", TrecFormat.readAnyRun(ReaderFixtures.run(tmp.resolve("run.trec"))), 5);
    Path json = tmp.resolve("tokenizer.json");
    try (InputStream in = getClass().getResourceAsStream(BundledModel.ALL_MINILM_L6_V2.tokenizerResource())) {
      Files.copy(in, json);
    }
    tokenizer = new ReaderTokenizer(json, 64);
  }

  private ReaderExamples build(Map<String, List<String>> answers, int negatives) {
    return ReaderExamples.build(dataset.queries("dev"), candidates, answers, dataset.qrels("dev"), tokenizer,
        negatives);
  }

  @Test
  void theGoldPassageIsThePositiveEvenBelowAnotherAndTheRestAreNegatives() {
    ReaderExamples data = build(dataset.answers("dev").orElseThrow(), 2);
    assertThat(data.examples()).hasSize(30);
    assertThat(data.withoutPositive()).isZero();
    ReaderExamples.Example e = data.examples().get(0);
    assertThat(e.query().id()).isEqualTo("q000");
    assertThat(e.positive().passage().id()).isEqualTo("Nation_0_p0");   // ranked second, below Nation_0_p1
    assertThat(e.spanStarts()).hasSize(1);
    assertThat(e.positive().text(e.spanStarts()[0], e.spanEnds()[0])).isEqualTo("Ardenville");
    assertThat(e.negatives()).extracting(Passage::id)
        .containsExactly("Nation_0_p1", "Nation_1_p0", "Nation_1_p1", "Nation_2_p0");
  }

  @Test
  void aRetrievedPassageWithTheAnswerStandsInForAGoldWithoutItAndIsNoNegative() {
    Map<String, List<String>> answers = new HashMap<>(dataset.answers("dev").orElseThrow());
    answers.put("q000", List.of("Belmorville"));   // stated by Nation_0_p1 (rank 1), not by the gold Nation_0_p0
    answers.put("q001", List.of("Nowhere"));       // stated by no passage
    ReaderExamples data = build(answers, 3);
    assertThat(data.withoutPositive()).isEqualTo(1);
    ReaderExamples.Example e = data.examples().get(0);
    assertThat(e.positive().passage().id()).isEqualTo("Nation_0_p1");
    assertThat(e.negatives()).extracting(Passage::id).containsExactly("Nation_1_p0", "Nation_1_p1", "Nation_2_p0");

    ReaderExamples strict = build(answers, 4);   // q000 now has 3 negatives, fewer than 4
    assertThat(strict.shortOfNegatives()).isEqualTo(1);
    assertThat(strict.examples()).hasSize(28).noneMatch(x -> x.query().id().equals("q000"));
  }
}
