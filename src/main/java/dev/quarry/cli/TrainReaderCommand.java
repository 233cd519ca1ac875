package dev.quarry.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.data.Dataset;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.TrecFormat;
import dev.quarry.eval.SquadAnswerScores;
import dev.quarry.io.JsonLines;
import dev.quarry.model.InferenceEngine;
import dev.quarry.reader.QuestionAnswering;
import dev.quarry.reader.Reader;
import dev.quarry.reader.ReaderConfig;
import dev.quarry.reader.ReaderTrainer;
import dev.quarry.rerank.Candidates;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train-reader", mixinStandardHelpOptions = true,
    description = {"Train DPR's extractive reader from a YAML config on a retriever's run of the training questions; "
        + "resumes from OUT/checkpoints. Writes OUT/model (best dev exact match), metrics.jsonl, training-curves.png "
        + "and metrics.json; with --test-run, also the test questions' answers and their exact match and F1."})
final class TrainReaderCommand implements Callable<Integer>, Resumable {
  @Spec
  CommandSpec spec;

  @Mixin
  TrainingOptions run;

  @Option(names = "--run", required = true, paramLabel = "FILE",
      description = "A retriever's run of the training split: positives, negatives and dev passages come from it.")
  Path trainRun;

  @Option(names = "--test-split", defaultValue = "test", description = "Split of --test-run (default ${DEFAULT-VALUE}).")
  String testSplit;

  @Option(names = "--test-run", paramLabel = "FILE", description = "A run of the test split, answered at the end.")
  Path testRun;

  @Override
  public Integer call() throws Exception {
    ReaderConfig c = ReaderConfig.load(run.config, run.overrides());
    Dataset data = run.open();
    Run train = TrecFormat.readAnyRun(trainRun);
    Run test = null;
    if (testRun != null) {
      data.requireSplit(testSplit);
      test = TrecFormat.readAnyRun(testRun);   // read first: a bad file fails before hours of training
    }
    ReaderTrainer.Summary s = new ReaderTrainer(c, run.job(data), train).train();
    run.recordConfig(c.toJson());
    ObjectNode report = JsonLines.MAPPER.createObjectNode();
    report.put("steps", s.steps());
    report.put("best_epoch", s.bestEpoch());
    ObjectNode dev = report.putObject("dev_exact_match");
    s.devExactMatch().forEach((epoch, v) -> dev.put("epoch " + epoch, v));
    report.put("train_questions", s.trainQuestions());
    report.put("questions_left_out_without_positive", s.withoutPositive());
    report.put("questions_left_out_short_of_negatives", s.shortOfNegatives());
    report.put("training_minutes", s.minutes());
    if (test != null) {
      long started = System.nanoTime();
      List<Query> questions = test.rankedOf(data.queries(testSplit));
      Map<String, List<String>> answers = data.answers(testSplit).orElseThrow(() -> new IllegalArgumentException(
          "split " + testSplit + " has no answers to score the reader against"));
      List<QuestionAnswering.Prediction> predictions;
      try (Reader reader = Reader.load(s.model(), InferenceEngine.DEFAULT)) {
        predictions = QuestionAnswering.answer(reader, questions, Candidates.of(data, testSplit, test,
            c.inference().passages()), c.inference().decoding(), new ConsoleProgress(System.err));
      }
      QuestionAnswering.write(run.output.resolve(testSplit + "-answers.jsonl"), predictions, answers);
      SquadAnswerScores.Summary score = QuestionAnswering.score(predictions, answers);
      ObjectNode t = report.putObject(testSplit);
      t.put("k", c.inference().passages());
      t.put("questions", score.questions());
      t.put("exact_match", score.exactMatch());
      t.put("f1", score.f1());
      t.put("read_minutes", (System.nanoTime() - started) / 6e10);
    }
    run.writeReport(report, spec.commandLine().getOut());
    spec.commandLine().getErr().printf(Locale.ROOT, "train-reader: %d steps, best dev epoch %d, model in %s%n",
        s.steps(), s.bestEpoch(), s.model());
    return 0;
  }
}
