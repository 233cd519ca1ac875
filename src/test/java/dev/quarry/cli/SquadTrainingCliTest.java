package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.io.Fixtures;
import dev.quarry.io.JsonLines;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.Pooling;
import dev.quarry.model.TinyModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQuAD recipe end to end through the command line, on a small generated SQuAD file: BM25 on the training
 * articles, answer-based mining, training on {@code dev.train} and the answer accuracy of the trained model on the
 * held-out articles of {@code dev.test} in {@code metrics.json}.
 */
class SquadTrainingCliTest {
  @TempDir
  Path dir;

  private String run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = QuarryCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    assertThat(code).as(String.join(" ", args) + "\n" + err).isZero();
    return out.toString();
  }

  private Path squad() {
    String[] colours = {"red", "green", "blue", "amber", "violet", "white", "black", "orange", "silver", "golden"};
    StringBuilder json = new StringBuilder("{\"version\": \"1.1\", \"data\": [");
    for (int a = 0; a < 10; a++) {
      json.append(a == 0 ? "" : ",").append("{\"title\": \"Town_").append(a).append("\", \"paragraphs\": [");
      for (int p = 0; p < 3; p++) {
        String answer = colours[(a + p) % colours.length] + " " + (a * 3 + p);
        json.append(p == 0 ? "" : ",").append("{\"context\": \"Town ").append(a).append(" district ").append(p)
            .append(" paints its doors ").append(answer).append(" every spring.\", \"qas\": [")
            .append("{\"id\": \"q").append(a).append('_').append(p).append("\", \"question\": \"What colour are the doors "
                + "of district ").append(p).append(" in town ").append(a).append("?\", \"answers\": [{\"answer_start\": 0, "
                + "\"text\": \"").append(answer).append("\"}]}]}");
      }
      json.append("]}");
    }
    return Fixtures.write(dir.resolve("squad/dev-v1.1.json"), json.append("]}").toString()).getParent();
  }

  @Test
  void trainsOnTrainingArticlesAndReportsAnswerAccuracyOnTestArticles() throws Exception {
    Path data = squad();
    Path model = TinyModels.create(dir.resolve("model"), new EncoderRecipe(Pooling.MEAN, true, "", "", 24, 24), 3);
    run("bm25", "--dataset", data.toString(), "--split", "dev.train", "--hits", "10",
        "--output", dir.resolve("bm25.trec").toString(), "--cache", dir.resolve("cache").toString());
    run("mine", "--dataset", data.toString(), "--split", "dev.train", "--run", dir.resolve("bm25.trec").toString(),
        "--positives", "answers", "--negatives", "1", "--output", dir.resolve("groups.jsonl").toString());
    Path config = dir.resolve("squad.yaml");
    Files.writeString(config, """
        model: {name: %s}
        data: {train: %s, dev: {queries: 4, seed: 1}, negatives_per_query: 1, max_train_queries: 12}
        training: {epochs: 1, batch_size: 4, learning_rate: 1.0e-3, warmup_ratio: 0, seed: 3, checkpoint_every: 2}
        """.formatted(model, dir.resolve("groups.jsonl")));
    run("train", "--config", config.toString(), "--dataset", data.toString(), "--split", "dev.train",
        "--test-split", "dev.test", "--output", dir.resolve("out").toString(), "--cache", dir.resolve("cache").toString(),
        "--set", "training.checkpoint_every=3", "--set", "data.dev={queries: 4, seed: 2}");

    // the run records the file, the overrides and the config they gave, which its sha256 is of
    JsonNode recorded = JsonLines.MAPPER.readTree(dir.resolve("out/config.json").toFile());
    assertThat(recorded.path("overrides").toString())
        .isEqualTo("[\"training.checkpoint_every=3\",\"data.dev={queries: 4, seed: 2}\"]");
    assertThat(recorded.path("effective").path("training").path("checkpoint_every").asInt()).isEqualTo(3);
    assertThat(recorded.path("effective").path("data").path("dev").path("seed").asInt()).isEqualTo(2);
    assertThat(JsonLines.MAPPER.readTree(dir.resolve("out/run.json").toFile()).path("config_sha256").asText())
        .isEqualTo(dev.quarry.io.Checksums.sha256(JsonLines.MAPPER.writeValueAsString(recorded.path("effective"))));

    JsonNode runInfo = JsonLines.MAPPER.readTree(dir.resolve("out/run.json").toFile());
    assertThat(runInfo.path("train_groups").asInt()).isEqualTo(12);   // 24 training questions - 4 dev, sampled to 12
    JsonNode metrics = JsonLines.MAPPER.readTree(dir.resolve("out/metrics.json").toFile());
    assertThat(metrics.path("steps").asInt()).isEqualTo(3);
    JsonNode test = metrics.path("dev.test");
    assertThat(test.path("accuracy@100").asDouble(-1)).isEqualTo(1.0);   // the corpus has 30 paragraphs
    // the same numbers by another road: the exported model through the dense command (its own corpus encoding,
    // written to a TREC file) and the eval command on that file
    Path runFile = dir.resolve("test.trec");
    run("dense", "--model", dir.resolve("out/model").toString(), "--dataset", data.toString(), "--split", "dev.test",
        "--output", runFile.toString(), "--cache", dir.resolve("cache").toString());
    String metricNames = "ndcg@10,recall@100,recall@1000,mrr@10,accuracy@1,accuracy@20,accuracy@100";
    JsonNode again = JsonLines.MAPPER.readTree(run("eval", "--dataset", data.toString(), "--split", "dev.test",
        "--run", runFile.toString(), "--metrics", metricNames, "--json"));
    assertThat(test.fieldNames()).toIterable().containsExactlyInAnyOrder(metricNames.split(","));
    for (String metric : metricNames.split(",")) {
      assertThat(test.path(metric).asDouble(-1)).as(metric)
          .isCloseTo(again.path(metric).asDouble(-2), org.assertj.core.api.Assertions.within(1e-9));
    }
    // each answer ("red 0" ... "golden 29") is in its own paragraph only, so answer accuracy@1 is the fraction of
    // questions whose paragraph is ranked first, which nDCG@10 and MRR@10 credit in full
    assertThat(test.path("mrr@10").asDouble()).isGreaterThanOrEqualTo(test.path("accuracy@1").asDouble());
    assertThat(test.path("ndcg@10").asDouble()).isGreaterThanOrEqualTo(test.path("accuracy@1").asDouble());

    // --metrics names the report's measures, as eval's does; a bad one fails before any training
    run("train", "--config", config.toString(), "--dataset", data.toString(), "--split", "dev.train",
        "--test-split", "dev.test", "--output", dir.resolve("chosen").toString(), "--cache",
        dir.resolve("cache").toString(), "--metrics", "map,accuracy@5");
    JsonNode chosen = JsonLines.MAPPER.readTree(dir.resolve("chosen/metrics.json").toFile()).path("dev.test");
    assertThat(chosen.fieldNames()).toIterable().containsExactly("map", "accuracy@5");
    StringWriter err = new StringWriter();
    int code = QuarryCli.run(new String[] {"train", "--config", config.toString(), "--dataset", data.toString(),
        "--split", "dev.train", "--test-split", "dev.test", "--output", dir.resolve("typo").toString(), "--cache",
        dir.resolve("cache").toString(), "--metrics", "ndcg@10,mrr@ten"}, new PrintWriter(new StringWriter()),
        new PrintWriter(err, true));
    assertThat(code).isNotZero();
    assertThat(err.toString()).contains("bad cutoff in metric \"mrr@ten\"");
    assertThat(dir.resolve("typo")).as("nothing trained").doesNotExist();
  }
}
