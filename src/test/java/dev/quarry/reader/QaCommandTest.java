package dev.quarry.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.cli.QuarryCli;
import dev.quarry.io.JsonLines;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.Pooling;
import dev.quarry.model.TinyModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quarry train-reader} and {@code quarry qa} end to end on a small SQuAD file. */
class QaCommandTest {
  @TempDir
  static Path tmp;
  static Path squad;
  static Path reader;
  static Path model;

  record Result(int code, String out, String err) {
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = QuarryCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  @BeforeAll
  static void trainAReader() throws Exception {
    squad = ReaderFixtures.squad(tmp.resolve("squad"));
    ReaderFixtures.run(tmp.resolve("train.trec"), a -> a != 4);
    ReaderFixtures.run(tmp.resolve("test.trec"), a -> a == 4);
    model = TinyModels.create(tmp.resolve("model"), new EncoderRecipe(Pooling.MEAN, true, "", "", 32, 32), 2);
    Path config = tmp.resolve("reader.yaml");
    Files.writeString(config, """
        model: {name: %s, max_length: 48}
        data: {dev: {queries: 4, seed: 13}, candidates: 5, negatives: 2}
        training: {epochs: 1, batch_size: 4, learning_rate: 1.0e-3, warmup_ratio: 0.25, seed: 5, checkpoint_every: 5}
        inference: {passages: 3}
        """.formatted(model));
    Path out = tmp.resolve("trained");
    Result r = run("train-reader", "--config", config.toString(), "--dataset", squad.toString(), "--split",
        "dev.train", "--run", tmp.resolve("train.trec").toString(), "--test-split", "dev.test", "--test-run",
        tmp.resolve("test.trec").toString(), "--output", out.toString(), "--cache", tmp.resolve("cache").toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode metrics = JsonLines.MAPPER.readTree(out.resolve("metrics.json").toFile());
    assertThat(metrics.path("steps").asInt()).isEqualTo(5);   // 24 dev.train questions - 4 dev = 20, 4 a step
    assertThat(metrics.path("dev.test").path("questions").asInt()).isEqualTo(6);
    assertThat(Files.readAllLines(out.resolve("dev.test-answers.jsonl"))).hasSize(6);
    reader = out.resolve("model");
  }

  private static List<JsonNode> lines(Path file) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      out.add(JsonLines.MAPPER.readTree(line));
    }
    return out;
  }

  @Test
  void answersEveryQuestionOfARunWithExactMatchAndF1() throws Exception {
    Path answers = tmp.resolve("qa/answers.jsonl");
    Result r = run("qa", "--reader", reader.toString(), "--dataset", squad.toString(), "--split", "dev.test",
        "--run", tmp.resolve("test.trec").toString(), "--k", "3", "--output", answers.toString());
    assertThat(r.code()).as(r.err()).isZero();
    List<JsonNode> lines = lines(answers);
    assertThat(lines).hasSize(6);
    double em = 0;
    for (JsonNode line : lines) {
      assertThat(line.path("passage_rank").asInt()).isBetween(1, 3);
      String passage = line.path("passage_id").asText();
      assertThat(passage).startsWith("Nation_");
      assertThat(line.path("gold_answers")).hasSize(1);
      em += line.path("exact_match").asDouble();
    }
    JsonNode metrics = JsonLines.MAPPER.readTree(tmp.resolve("qa/answers.metrics.json").toFile());
    assertThat(metrics.path("questions").asInt()).isEqualTo(6);
    assertThat(metrics.path("exact_match").asDouble()).isCloseTo(100 * em / 6, within(1e-9));
    assertThat(metrics.path("answer_in_passages_read").asDouble()).isEqualTo(1.0);   // gold is second, k = 3
    assertThat(r.out()).contains("\"exact_match\"");
  }

  @Test
  void readsTheGoldPassageAloneForReadingComprehension() throws Exception {
    Path answers = tmp.resolve("gold/answers.jsonl");
    Result r = run("qa", "--reader", reader.toString(), "--dataset", squad.toString(), "--split", "dev.test",
        "--gold", "--output", answers.toString());
    assertThat(r.code()).as(r.err()).isZero();
    for (JsonNode line : lines(answers)) {
      String q = line.path("query_id").asText();   // q<article><paragraph><fact>
      assertThat(line.path("passage_id").asText()).isEqualTo("Nation_" + q.charAt(1) + "_p" + q.charAt(2));
    }
    assertThat(JsonLines.MAPPER.readTree(tmp.resolve("gold/answers.metrics.json").toFile()).path("k").asInt())
        .isEqualTo(1);
  }

  @Test
  void answersOneQuestionFromAnIndex() {
    Path index = tmp.resolve("index");
    Result built = run("index", "--dataset", squad.toString(), "--model", model.toString(), "--output",
        index.toString(), "--cache", tmp.resolve("cache").toString());
    assertThat(built.code()).as(built.err()).isZero();
    Result r = run("qa", "--reader", reader.toString(), "--index", index.toString(), "--mode", "bm25",
        "--question", "What is the river of region 4.1?", "--k", "2");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("from Nation_");
  }

  @Test
  void samplesPickTheSameQuestionsFromAnyRunAndCompareQuestionByQuestion() throws Exception {
    Path fromRun = tmp.resolve("sample/run.jsonl");
    Path fromGold = tmp.resolve("sample/gold.jsonl");
    assertThat(run("qa", "--reader", reader.toString(), "--dataset", squad.toString(), "--split", "dev.test",
        "--run", tmp.resolve("test.trec").toString(), "--sample", "4", "--output", fromRun.toString()).code())
        .isZero();
    assertThat(run("qa", "--reader", reader.toString(), "--dataset", squad.toString(), "--split", "dev.test",
        "--gold", "--sample", "4", "--output", fromGold.toString()).code()).isZero();
    List<String> a = lines(fromRun).stream().map(l -> l.path("query_id").asText()).toList();
    assertThat(a).hasSize(4).isEqualTo(lines(fromGold).stream().map(l -> l.path("query_id").asText()).toList());

    Result compared = run("compare-answers", fromGold.toString(), fromRun.toString());
    assertThat(compared.code()).as(compared.err()).isZero();
    assertThat(compared.out()).contains("exact_match over 4 queries").contains("f1 over 4 queries")
        .contains("randomization");

    Path unscored = tmp.resolve("sample/unscored.jsonl");
    Files.writeString(unscored, "{\"query_id\": \"q400\", \"answer\": \"x\"}\n");
    Result bad = run("compare-answers", unscored.toString(), fromRun.toString());
    assertThat(bad.code()).isNotZero();
    assertThat(bad.err()).contains(unscored.toString() + ":1").contains("no number in \"exact_match\"");
  }

  @Test
  void badInvocationsSayWhatIsMissing() {
    Result noSource = run("qa", "--reader", reader.toString(), "--dataset", squad.toString(), "--split", "dev.test",
        "--output", tmp.resolve("x.jsonl").toString());
    assertThat(noSource.code()).isEqualTo(2);
    assertThat(noSource.err()).contains("Missing required argument");
    Result two = run("qa", "--reader", reader.toString(), "--gold", "--run", "r.trec", "--dataset",
        squad.toString(), "--split", "dev.test", "--output", tmp.resolve("x.jsonl").toString());
    assertThat(two.code()).isEqualTo(2);
    assertThat(two.err()).contains("mutually exclusive");
    Result noIndex = run("qa", "--reader", reader.toString(), "--gold", "--question", "why?");
    assertThat(noIndex.err()).contains("--question needs --index");
    Result noOutput = run("qa", "--reader", reader.toString(), "--gold", "--dataset", squad.toString(), "--split",
        "dev.test");
    assertThat(noOutput.err()).contains("needs --dataset, --split and --output");
    Result notReader = run("qa", "--reader", model.toString(), "--gold", "--dataset", squad.toString(), "--split",
        "dev.test", "--output", tmp.resolve("y.jsonl").toString());
    assertThat(notReader.err()).contains("is not a reader");
    assertThat(tmp.resolve("y.jsonl")).doesNotExist();
    Result wrongSplit = run("qa", "--reader", reader.toString(), "--run", tmp.resolve("train.trec").toString(),
        "--dataset", squad.toString(), "--split", "dev.test", "--output", tmp.resolve("z.jsonl").toString());
    assertThat(wrongSplit.err()).contains("has question q000, which split dev.test");
  }
}
