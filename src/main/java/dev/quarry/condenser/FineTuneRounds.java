package dev.quarry.condenser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.bm25.Bm25Config;
import dev.quarry.bm25.Bm25Index;
import dev.quarry.config.ConfigBinder;
import dev.quarry.data.Dataset;
import dev.quarry.data.DatasetFormat;
import dev.quarry.data.Passage;
import dev.quarry.data.Run;
import dev.quarry.data.TrecFormat;
import dev.quarry.dense.DenseConfig;
import dev.quarry.dense.DenseRetriever;
import dev.quarry.dpr.DprTrainer;
import dev.quarry.dpr.TrainConfigLoader;
import dev.quarry.eval.EvalReport;
import dev.quarry.eval.Metric;
import dev.quarry.eval.PairedComparison;
import dev.quarry.eval.SplitEvaluation;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.JsonLines;
import dev.quarry.mine.MiningConfig;
import dev.quarry.mine.NegativeMiner;
import dev.quarry.mine.PositiveRule;
import dev.quarry.mine.TrainGroup;
import dev.quarry.mine.TrainGroupFormat;
import dev.quarry.train.TrainingJob;
import dev.quarry.util.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * coCondenser's fine-tuning (Gao and Callan 2022, section 4) as one resumable job: round 1 fine-tunes the pre-trained
 * model with BM25 hard negatives; the round-1 model then retrieves for the training queries and its hard negatives
 * are mined; round 2 fine-tunes the pre-trained model again (not the round-1 model) with those negatives added to
 * BM25's. Each stage works in {@code OUT/<stage>} ({@code round1}, {@code mine}, {@code round2}) and ends with
 * {@code manifest.json} (its config hash, inputs, test metrics, minutes); a finished stage is skipped when the command
 * runs again, a killed one regenerates its inputs and its trainer resumes from its checkpoint. {@code report.md}
 * compares the rounds on the test split with a paired randomization test.
 */
public final class FineTuneRounds {
  /** The stages, in order. */
  public enum Stage {
    ROUND1, MINE, ROUND2;

    String dir() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static final String MANIFEST = "manifest.json";
  private static final Metric NDCG10 = Metric.parse("ndcg@10");

  private final RoundsConfig config;
  private final Dataset dataset;
  private final String split;
  private final String testSplit;
  private final Path out;
  private final Path cacheRoot;
  private final Progress progress;

  public FineTuneRounds(RoundsConfig config, Dataset dataset, String split, String testSplit, Path out,
      Path cacheRoot, Progress progress) {
    this.config = config;
    this.dataset = dataset;
    this.split = split;
    this.testSplit = testSplit;
    this.out = out;
    this.cacheRoot = cacheRoot;
    this.progress = progress;
  }

  /** Runs the stages not done yet, writes the report and returns each stage's manifest. */
  public Map<Stage, JsonNode> run() throws Exception {
    dataset.requireSplit(testSplit);
    String trainText = Files.readString(config.train());
    TrainConfigLoader.load(config.train());   // a bad DPR config fails before any work
    String sha = config.sha256(trainText);
    Map<Stage, JsonNode> done = new LinkedHashMap<>();
    for (Stage stage : Stage.values()) {
      Path dir = out.resolve(stage.dir());
      Path manifest = dir.resolve(MANIFEST);
      if (Files.exists(manifest)) {
        JsonNode m = JsonLines.MAPPER.readTree(manifest.toFile());
        if (!m.path("config_sha256").asText().equals(sha)) {
          throw new IllegalStateException("stage " + stage.dir() + " in " + dir + " was finished under another config"
              + " (the rounds config or its train config changed since): delete " + dir + " and the later stages' "
              + "folders to redo them, or write to another --output");
        }
        done.put(stage, m);
        continue;
      }
      Files.createDirectories(dir);
      long started = System.nanoTime();
      ObjectNode inputs = JsonLines.MAPPER.createObjectNode();
      ObjectNode metrics;
      try {
        metrics = switch (stage) {
          case ROUND1 -> round(dir, bm25Groups(dir, inputs), inputs);
          case MINE -> mine(dir, inputs);
          case ROUND2 -> round(dir, out.resolve(Stage.MINE.dir()).resolve("groups.jsonl"), inputs);
        };
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new IllegalStateException("stage " + stage.dir() + " (" + dir + "): " + e.getMessage(), e);
      }
      ObjectNode m = JsonLines.MAPPER.createObjectNode();
      m.put("stage", stage.dir()).put("config_sha256", sha);
      m.set("inputs", inputs);
      m.set("test", metrics);
      m.put("minutes", (System.nanoTime() - started) / 6e10);
      AtomicOutput.writeString(manifest, m.toPrettyString() + "\n");
      done.put(stage, m);
    }
    writeReport(done);
    return done;
  }

  /** Round 1's groups: BM25 flat's top {@code to} for the training queries, negatives sampled from its ranks. */
  private Path bm25Groups(Path dir, ObjectNode inputs) throws IOException {
    Run run;
    try (Bm25Index index = Bm25Index.openOrBuild(dataset, Bm25Config.FieldMode.FLAT, cacheRoot, progress)) {
      run = index.searcher(Bm25Config.ANSERINI_FLAT).searchAll(dataset.queries(split), config.bm25().to(), "bm25",
          1, true, progress);
    }
    Path runFile = dir.resolve("train-bm25.trec");
    TrecFormat.writeRun(runFile, run);
    Path groups = dir.resolve("groups.jsonl");
    var report = new NegativeMiner(new MiningConfig("bm25", config.bm25().from(), config.bm25().to(),
        config.bm25().negatives(), 0, config.seed(), positives()))
        .mine(dataset, split, TrecFormat.readAnyRun(runFile), groups, progress);
    inputs.put("candidates", runFile.toString()).put("groups", groups.toString())
        .put("groups_written", report.queriesWritten());
    return groups;
  }

  /** Round 2's groups: each round-1 group's BM25 negatives merged with the round-1 model's mined ones ({@link #merge}). */
  private ObjectNode mine(Path dir, ObjectNode inputs) {
    Path round1 = out.resolve(Stage.ROUND1.dir());
    Run run = DenseRetriever.retrieve(dataset, dataset.queries(split), DenseConfig.exact(round1.resolve("model"),
        config.mined().depth(), cacheRoot), "round1", progress).run();
    Path runFile = dir.resolve("train-round1.trec");
    TrecFormat.writeRun(runFile, run);
    Path mined = dir.resolve("mined-groups.jsonl");
    var report = new NegativeMiner(new MiningConfig("round1", config.mined().from(), config.mined().to(),
        config.mined().negatives(), 0, config.seed(), positives()))
        .mine(dataset, split, TrecFormat.readAnyRun(runFile), mined, progress);
    List<TrainGroup> merged = merge(TrainGroupFormat.read(round1.resolve("groups.jsonl")),
        TrainGroupFormat.read(mined));
    Path groups = dir.resolve("groups.jsonl");
    TrainGroupFormat.write(groups, merged);
    inputs.put("candidates", runFile.toString()).put("mined_groups", mined.toString())
        .put("mined_groups_written", report.queriesWritten()).put("groups", groups.toString())
        .put("mean_negatives", merged.stream().mapToInt(g -> g.negatives().size()).average().orElse(0));
    return JsonLines.MAPPER.createObjectNode();
  }

  /**
   * Each group of {@code bm25} with the negatives of the same query in {@code mined} merged in, alternating and the
   * mined first (mined, BM25, mined, BM25, ..., then the longer list's rest; a passage both hold is kept once, where it
   * first comes). The trainer reads a group's first {@code negatives_per_query} negatives, so with 1 a round-2 step
   * trains on the round-1 model's hard negative and with 2 on one of each. Queries only {@code mined} has come last.
   */
  static List<TrainGroup> merge(List<TrainGroup> bm25, List<TrainGroup> mined) {
    Map<String, TrainGroup> byQuery = new LinkedHashMap<>();
    bm25.forEach(g -> byQuery.put(g.queryId(), g));
    for (TrainGroup g : mined) {
      TrainGroup first = byQuery.get(g.queryId());
      if (first == null) {
        byQuery.put(g.queryId(), g);
        continue;
      }
      Set<String> seen = new HashSet<>();
      first.positives().forEach(p -> seen.add(p.id()));
      List<TrainGroup.Negative> negatives = new ArrayList<>();
      for (int i = 0; i < Math.max(g.negatives().size(), first.negatives().size()); i++) {
        for (List<TrainGroup.Negative> source : List.of(g.negatives(), first.negatives())) {
          if (i < source.size() && seen.add(source.get(i).passage().id())) {
            negatives.add(source.get(i));
          }
        }
      }
      List<Passage> positives = first.positives();
      byQuery.put(g.queryId(), new TrainGroup(first.queryId(), first.query(), positives, negatives));
    }
    return List.copyOf(byQuery.values());
  }

  /** A fine-tuning round from the pre-trained model on {@code groups}, then its test run and metrics. */
  private ObjectNode round(Path dir, Path groups, ObjectNode inputs) throws Exception {
    ObjectNode tree = (ObjectNode) ConfigBinder.readYaml(config.train());
    ((ObjectNode) tree.path("data")).put("train", groups.toAbsolutePath().toString());
    String start = config.model().orElse(tree.path("model").path("name").asText());
    Path startDir = Path.of(start);
    ((ObjectNode) tree.path("model")).put("name", Files.isDirectory(startDir) ? startDir.toAbsolutePath().toString()
        : start);
    Path stageConfig = dir.resolve("config.yaml");
    AtomicOutput.writeString(stageConfig, ConfigBinder.toYaml(tree));
    new DprTrainer(TrainConfigLoader.load(stageConfig), new TrainingJob(stageConfig, dataset, split, dir, cacheRoot,
        progress)).train();
    inputs.put("groups", groups.toString()).put("start", start);
    Run test = DenseRetriever.retrieve(dataset, dataset.queries(testSplit), DenseConfig.exact(dir.resolve("model"),
        1000, cacheRoot), dir.getFileName().toString(), progress).run();
    TrecFormat.writeRun(dir.resolve("test.trec"), test);
    return SplitEvaluation.evaluate(dataset, testSplit, test).meansJson();
  }

  private void writeReport(Map<Stage, JsonNode> done) {
    StringBuilder md = new StringBuilder("# coCondenser fine-tuning rounds\n\n");
    md.append("Both rounds start from the pre-trained model; round 2 adds the round-1 model's mined negatives to ")
        .append("BM25's. Test split `").append(testSplit).append("`.\n\n| stage | nDCG@10 | R@100 | minutes |\n|---|---|---|---|\n");
    for (Stage s : List.of(Stage.ROUND1, Stage.ROUND2)) {
      JsonNode m = done.get(s);
      md.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.1f |%n", s.dir(),
          m.path("test").path("ndcg@10").asDouble(), m.path("test").path("recall@100").asDouble(),
          m.path("minutes").asDouble()));
    }
    EvalReport r1 = SplitEvaluation.evaluate(dataset, testSplit, TrecFormat.readAnyRun(
        out.resolve(Stage.ROUND1.dir()).resolve("test.trec")));
    EvalReport r2 = SplitEvaluation.evaluate(dataset, testSplit, TrecFormat.readAnyRun(
        out.resolve(Stage.ROUND2.dir()).resolve("test.trec")));
    PairedComparison c = PairedComparison.of(r1, r2, NDCG10, 10_000, config.seed());
    md.append(String.format(Locale.ROOT, "%nRound 2 - round 1, nDCG@10: %+.4f (better on %d queries, worse on %d); "
        + "paired randomization p = %.4f, t-test p = %.4f.%n", c.meanB() - c.meanA(), c.wins(), c.losses(),
        c.randomizationP(), c.tTestP()));
    AtomicOutput.writeString(out.resolve("report.md"), md.toString());
  }

  /** Passages holding an answer are never negatives in question-answering layouts (as quarry mine --positives). */
  private PositiveRule positives() {
    return dataset.format() == DatasetFormat.SQUAD || dataset.format() == DatasetFormat.DPR ? PositiveRule.ANSWERS
        : PositiveRule.QRELS;
  }
}
