package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.io.JsonLines;
import dev.quarry.testing.SharedData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands end to end, in process, on real SciFact data and on broken input. */
class QuarryCliTest {
  @TempDir
  Path tmp;

  record Result(int code, String out, String err) {
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = QuarryCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void modelsListsTheBundledRecipesAndTheCachedModelDirectories() throws Exception {
    Result empty = run("models", "--cache", tmp.resolve("cache").toString());
    assertThat(empty.code()).as(empty.err()).isZero();
    assertThat(empty.out()).contains("  bge-small-en-v1.5    cls pooling, normalized, query prefix \"Represent this "
        + "sentence for searching relevant passages: \", passage prefix \"\", max length 512 / 512")
        .contains("  all-minilm-l6-v2     mean pooling, normalized")
        .contains("  e5-small-v2          mean pooling, normalized, query prefix \"query: \"")
        .contains("model directories in " + tmp.resolve("cache/models") + ": none");
    dev.quarry.model.ModelDirectory.resolve("all-minilm-l6-v2", tmp.resolve("cache"));   // imports it into the cache
    Result one = run("models", "--cache", tmp.resolve("cache").toString());
    assertThat(one.out()).contains("  " + tmp.resolve("cache/models/all-minilm-l6-v2") + "  mean pooling");
  }

  @Test
  void versionComesFromTheBuildOnEveryCommand() throws Exception {
    String pom = Files.readString(Path.of("pom.xml"));
    String version = pom.substring(pom.indexOf("<version>") + 9, pom.indexOf("</version>"));
    for (String[] args : new String[][] {{"-V"}, {"train", "-V"}, {"dense", "--version"}}) {
      Result r = run(args);
      assertThat(r.code()).as(String.join(" ", args)).isZero();
      assertThat(r.out()).as(String.join(" ", args)).startsWith("Quarry " + version + "\n").contains("Java ");
    }
  }

  @Test
  void threadsMustBePositiveOnEveryCommandThatRunsAModel() {
    for (String command : new String[] {"dense", "encode", "rerank", "denoise", "train", "train-reranker", "pretrain",
        "pipeline", "teacher", "index", "search", "serve", "score-groups", "distill-groups"}) {
      Result r = run(command, "--threads", "0");
      assertThat(r.code()).as(command + ": " + r.err()).isEqualTo(2);
      assertThat(r.err()).as(command).contains("--threads must be positive, found 0");
    }
  }

  @Test
  void quarryDebugZeroMeansOff() {
    for (String off : new String[] {null, "", "0", "false", "no", "off", " OFF "}) {
      assertThat(QuarryCli.debug(off)).as("QUARRY_DEBUG=%s", off).isFalse();
    }
    for (String on : new String[] {"1", "true", "yes", "on"}) {
      assertThat(QuarryCli.debug(on)).as("QUARRY_DEBUG=%s", on).isTrue();
    }
  }

  @Test
  void bm25ThenEvalPrintsJsonMeansAndPerQueryValues() throws Exception {
    String scifact = SharedData.scifact().toString();
    Path runFile = tmp.resolve("runs/bm25.trec");
    Result bm25 = run("bm25", "--dataset", scifact, "--split", "test", "--output", runFile.toString(),
        "--cache", tmp.resolve("cache").toString(), "--hits", "100");
    assertThat(bm25.code()).as(bm25.err()).isZero();
    java.util.List<String> lines = Files.readAllLines(runFile);
    assertThat(lines.size()).as("at most 100 hits for each of 300 queries").isBetween(29_000, 30_000);
    assertThat(lines.get(0)).matches("\\S+ Q0 \\S+ 1 \\S+ quarry-bm25-flat");
    // --hits 100 is the top 100 of the full ranking: each query's hits are the first min(100, n) of its 1000-hit
    // run, n being how many documents match it at all (a few queries match fewer than 100)
    Path full = tmp.resolve("runs/bm25-1000.trec");
    Result bm25Full = run("bm25", "--dataset", scifact, "--split", "test", "--output", full.toString(),
        "--cache", tmp.resolve("cache").toString(), "--hits", "1000");
    assertThat(bm25Full.code()).as(bm25Full.err()).isZero();
    dev.quarry.data.Run top100 = dev.quarry.data.TrecFormat.readRun(runFile);
    dev.quarry.data.Run top1000 = dev.quarry.data.TrecFormat.readRun(full);
    assertThat(top100.queryIds()).hasSize(300).isEqualTo(top1000.queryIds());
    long expectedLines = 0;
    for (String q : top1000.queryIds()) {
      java.util.List<dev.quarry.data.ScoredDoc> ranking = dev.quarry.data.TrecOrder.sorted(top1000.docs(q));
      java.util.List<dev.quarry.data.ScoredDoc> head = ranking.subList(0, Math.min(100, ranking.size()));
      assertThat(dev.quarry.data.TrecOrder.sorted(top100.docs(q))).extracting(dev.quarry.data.ScoredDoc::docId)
          .as(q).containsExactlyElementsOf(head.stream().map(dev.quarry.data.ScoredDoc::docId).toList());
      expectedLines += head.size();
    }
    assertThat((long) lines.size()).isEqualTo(expectedLines);

    Path perQuery = tmp.resolve("per-query.tsv");
    Result eval = run("eval", "--dataset", scifact, "--split", "test", "--run", runFile.toString(),
        "--metrics", "ndcg@10,recall@100,mrr@10", "--json", "--per-query", perQuery.toString());
    assertThat(eval.code()).as(eval.err()).isZero();
    JsonNode means = JsonLines.MAPPER.readTree(eval.out());
    assertThat(means.fieldNames()).toIterable().containsExactly("ndcg@10", "recall@100", "mrr@10");
    // Anserini's flat BM25 regression on BEIR SciFact (SciFactBm25RegressionTest): nDCG@10 0.6789 and R@100 0.9253,
    // which Quarry matches to 4 decimals (a top-100 run loses neither)
    assertThat(means.get("ndcg@10").asDouble()).isCloseTo(0.6789, org.assertj.core.api.Assertions.within(5e-5));
    assertThat(means.get("recall@100").asDouble()).isCloseTo(0.9253, org.assertj.core.api.Assertions.within(5e-5));
    assertThat(Files.readAllLines(perQuery)).hasSize(301).first().isEqualTo("query-id\tndcg@10\trecall@100\tmrr@10");

    Result table = run("eval", "--qrels", SharedData.scifact().resolve("qrels/test.tsv").toString(),
        "--run", runFile.toString(), "--metrics", "ndcg@10");
    assertThat(table.code()).isZero();
    assertThat(table.out()).contains("ndcg@10").contains(String.format(java.util.Locale.ROOT, "%.4f",
        means.get("ndcg@10").asDouble())).contains("300 averaged");

    Result compare = run("compare", "--dataset", scifact, "--split", "test", runFile.toString(), runFile.toString(),
        "--metrics", "ndcg@10", "--json");
    assertThat(compare.code()).as(compare.err()).isZero();
    JsonNode c = JsonLines.MAPPER.readTree(compare.out());
    assertThat(c.get("difference").asDouble()).isZero();
    assertThat(c.get("randomization_p").asDouble()).isEqualTo(1.0);
    assertThat(c.get("ties").asInt()).isEqualTo(300);
  }

  @Test
  void badRunFileFailsWithFileAndLineAndExitCode1() throws Exception {
    Path runFile = tmp.resolve("bad.trec");
    Files.writeString(runFile, "1 Q0 d1 1 2.5 tag\n1 Q0 d2 2 notanumber tag\n");
    Result r = run("eval", "--qrels", SharedData.scifact().resolve("qrels/test.tsv").toString(),
        "--run", runFile.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("bad.trec:2: score must be a number, found \"notanumber\"");
    assertThat(r.err()).doesNotContain("at dev.quarry");   // no stack trace for bad input
  }

  @Test
  void unknownMetricAndMissingSplitAreClearErrors() {
    Result metric = run("eval", "--qrels", SharedData.scifact().resolve("qrels/test.tsv").toString(),
        "--run", "x", "--metrics", "ndcg@ten");
    assertThat(metric.code()).isEqualTo(1);
    assertThat(metric.err()).contains("bad cutoff in metric \"ndcg@ten\"");
    Result split = run("bm25", "--dataset", SharedData.scifact().toString(), "--split", "dev", "--output",
        tmp.resolve("r").toString());
    assertThat(split.code()).isEqualTo(1);
    assertThat(split.err()).contains("has no split \"dev\"; its splits are [test, train]");
  }

  @Test
  void failedJobLeavesThePreviousRunFileIntact() throws Exception {
    Path runFile = tmp.resolve("kept.trec");
    Files.writeString(runFile, "previous content\n");
    Path broken = tmp.resolve("broken");
    Files.createDirectories(broken.resolve("qrels"));
    Files.writeString(broken.resolve("corpus.jsonl"), "{\"_id\": \"d1\", \"text\": \"ok\"}\n{\"_id\": \"d2\", \"text\": \n");
    Files.writeString(broken.resolve("queries.jsonl"), "{\"_id\": \"q1\", \"text\": \"ok\"}\n");
    Files.writeString(broken.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\n");
    Result r = run("bm25", "--dataset", broken.toString(), "--split", "test", "--output", runFile.toString(),
        "--cache", tmp.resolve("cache").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("corpus.jsonl:2: malformed JSON");
    assertThat(Files.readString(runFile)).isEqualTo("previous content\n");
  }

  @Test
  void accuracyOnSquadUsesAnswerStrings() throws Exception {
    Path runFile = tmp.resolve("squad.trec");
    String squad = SharedData.squad().toString();
    assertThat(run("bm25", "--dataset", squad, "--split", "dev", "--output", runFile.toString(), "--hits", "20",
        "--cache", tmp.resolve("cache").toString()).code()).isZero();
    Result r = run("eval", "--dataset", squad, "--split", "dev", "--run", runFile.toString(),
        "--metrics", "recall@20,accuracy@20", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode means = JsonLines.MAPPER.readTree(r.out());
    // an answer string can also occur in other paragraphs, so answer accuracy is at least gold-paragraph recall
    assertThat(means.get("accuracy@20").asDouble()).isGreaterThanOrEqualTo(means.get("recall@20").asDouble())
        .isBetween(0.97, 0.99);
    Result noAnswers = run("eval", "--dataset", SharedData.scifact().toString(), "--split", "test", "--run",
        runFile.toString(), "--metrics", "accuracy@20");
    assertThat(noAnswers.code()).isEqualTo(1);
    assertThat(noAnswers.err()).contains("accuracy@K needs answer strings");
  }
}
