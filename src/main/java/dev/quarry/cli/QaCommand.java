package dev.quarry.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.api.Hit;
import dev.quarry.api.SearchIndex;
import dev.quarry.api.SearchMode;
import dev.quarry.data.Dataset;
import dev.quarry.data.DatasetFormat;
import dev.quarry.data.Datasets;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import dev.quarry.data.TrecFormat;
import dev.quarry.eval.DprAnswerMatcher;
import dev.quarry.eval.SquadAnswerScores;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.JsonLines;
import dev.quarry.io.OutputPaths;
import dev.quarry.mine.DevSplit;
import dev.quarry.reader.Answer;
import dev.quarry.reader.AnswerDecoding;
import dev.quarry.reader.QuestionAnswering;
import dev.quarry.reader.Reader;
import dev.quarry.rerank.Candidates;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "qa", mixinStandardHelpOptions = true,
    description = {"Answer questions with a reader (quarry train-reader's OUT/model): every question of a split, each "
        + "from the top --k passages of a run, of an index's search, or from its gold passage alone (reading "
        + "comprehension); or one --question from an index. With gold answers, prints and writes exact match and F1 "
        + "(SQuAD's official normalization) to OUTPUT's .metrics.json beside the answers."})
final class QaCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--reader", required = true, paramLabel = "DIR", description = "Reader model folder.")
  Path readerDir;

  @ArgGroup(multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--run", paramLabel = "FILE", description = "A run of the split's questions (TREC or MS MARCO).")
    Path run;

    @Option(names = "--index", paramLabel = "DIR", description = "An index folder (quarry index) to search.")
    Path index;

    @Option(names = "--gold", description = "Read each question's gold passage only (qrels): the reader's ceiling.")
    boolean gold;
  }

  @Option(names = "--question", paramLabel = "TEXT", description = "One question, answered from --index and printed.")
  String question;

  @Option(names = "--dataset", paramLabel = "DIR", description = "Dataset folder with the questions (SQuAD, DPR, ...).")
  Path dataset;

  @Option(names = "--format", paramLabel = "FORMAT", description = "Dataset layout: ${COMPLETION-CANDIDATES}.")
  DatasetFormat format;

  @Option(names = "--split", paramLabel = "NAME", description = "Split whose questions are answered.")
  String split;

  @Option(names = "--mode", defaultValue = "hybrid",
      description = "With --index: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  SearchMode mode;

  @Option(names = "--k", defaultValue = "20", description = "Passages read per question (default ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--max-answer-tokens", defaultValue = "10",
      description = "Longest answer, in tokens (default ${DEFAULT-VALUE}).")
  int maxAnswerTokens;

  @Option(names = "--sample", paramLabel = "N", description = "Answer a seeded sample of N of the questions (the same "
      + "N and seed pick the same questions from any run of the split, so samples compare question by question).")
  Integer sample;

  @Option(names = "--sample-seed", defaultValue = "13", description = "Seed of --sample (default ${DEFAULT-VALUE}).")
  long sampleSeed;

  @Option(names = "--output", paramLabel = "FILE", description = "Answers to write (JSONL), required without "
      + "--question.")
  Path output;

  @Mixin
  EngineOption engine = new EngineOption();

  @Mixin
  ThreadsOption threads = new ThreadsOption();

  @Override
  public Integer call() {
    AnswerDecoding decoding = new AnswerDecoding(Flags.positive(k, "--k"),
        Flags.positive(maxAnswerTokens, "--max-answer-tokens"));
    if (question != null) {
      return one(decoding);
    }
    if (dataset == null || split == null || output == null) {
      throw new IllegalArgumentException("answering a split needs --dataset, --split and --output (or one "
          + "--question with --index)");
    }
    OutputPaths.file(output, "--output");
    Dataset data = Datasets.open(dataset, format);
    data.requireSplit(split);
    List<Query> questions = data.queries(split);
    if (sample != null) {
      questions = DevSplit.sample(questions, Flags.positive(sample, "--sample"), sampleSeed);
    }
    Optional<Map<String, List<String>>> answers = data.answers(split);
    long started = System.nanoTime();
    ConsoleProgress progress = new ConsoleProgress(System.err);
    List<QuestionAnswering.Prediction> predictions;
    Candidates candidates;
    String from;
    try (Reader reader = Reader.load(readerDir, engine.get())) {
      if (source.gold) {
        candidates = Candidates.of(questions, "split " + split, data, goldRun(data, questions), 1);
        from = "gold passage";
      } else if (source.run != null) {
        Run run = TrecFormat.readAnyRun(source.run);
        Set<String> inSplit = new HashSet<>();
        data.queries(split).forEach(q -> inSplit.add(q.id()));
        run.queryIds().stream().filter(q -> !inSplit.contains(q)).findFirst().ifPresent(q -> {
          throw new IllegalArgumentException("the run " + source.run + " has question " + q + ", which split "
              + split + " of " + data.root() + " does not have");
        });
        questions = run.rankedOf(questions);
        candidates = Candidates.of(questions, "split " + split, data,
            run.restrictTo(new HashSet<>(questions.stream().map(Query::id).toList())), decoding.passages());
        from = source.run.toString();
      } else {
        try (SearchIndex index = SearchIndex.open(source.index)) {
          Run run = index.search(questions, mode, decoding.passages(), "quarry-" + mode, progress);
          candidates = Candidates.of(questions, "split " + split, index::passages, "index " + source.index, run,
              decoding.passages());
        }
        from = source.index + " (" + mode.name().toLowerCase(Locale.ROOT) + ")";
      }
      if (questions.isEmpty()) {
        throw new IllegalArgumentException("no question of split " + split + " to answer from " + from);
      }
      predictions = QuestionAnswering.answer(reader, questions, candidates, decoding, progress);
    }
    QuestionAnswering.write(output, predictions, answers.orElse(null));
    ObjectNode report = JsonLines.MAPPER.createObjectNode();
    report.put("reader", readerDir.toString());
    report.put("passages_from", from);
    report.put("k", source.gold ? 1 : decoding.passages());
    report.put("max_answer_tokens", decoding.maxAnswerTokens());
    report.put("questions", predictions.size());
    if (sample != null) {
      report.put("sample_seed", sampleSeed);
    }
    if (answers.isPresent()) {
      SquadAnswerScores.Summary s = QuestionAnswering.score(predictions, answers.get());
      report.put("exact_match", s.exactMatch());
      report.put("f1", s.f1());
      report.put("answer_in_passages_read", answerRecall(predictions, candidates, answers.get()));
    }
    report.put("minutes", (System.nanoTime() - started) / 6e10);
    AtomicOutput.writeString(metricsFile(output), report.toPrettyString() + "\n");
    spec.commandLine().getOut().println(report.toPrettyString());
    return 0;
  }

  /** {@code answers.jsonl} -> {@code answers.metrics.json}, beside it. */
  static Path metricsFile(Path answers) {
    String name = answers.getFileName().toString().replaceFirst("\\.jsonl?$", "");
    return answers.resolveSibling(name + ".metrics.json");
  }

  /** The given questions' gold passages (qrels), as a run. */
  private Run goldRun(Dataset data, List<Query> questions) {
    Run.Builder b = Run.builder("gold");
    var qrels = data.qrels(split);
    for (Query q : questions) {
      List<String> relevant = qrels.relevant(q.id());
      if (!relevant.isEmpty()) {
        b.put(q.id(), relevant.stream().map(doc -> new ScoredDoc(doc, qrels.judgments(q.id()).get(doc))).toList());
      }
    }
    return b.build();
  }

  /** The fraction of questions with an answer string (DPR's match) in a passage the reader read: its ceiling. */
  private static double answerRecall(List<QuestionAnswering.Prediction> predictions, Candidates candidates,
      Map<String, List<String>> answers) {
    int found = 0;
    for (QuestionAnswering.Prediction p : predictions) {
      List<String> golds = answers.get(p.question().id());
      for (ScoredDoc d : candidates.top(p.question().id())) {
        if (DprAnswerMatcher.hasAnswer(golds, candidates.passage(d.docId()).text())) {
          found++;
          break;
        }
      }
    }
    return predictions.isEmpty() ? 0 : (double) found / predictions.size();
  }

  private int one(AnswerDecoding decoding) {
    if (source.index == null) {
      throw new IllegalArgumentException("--question needs --index (the passages it is answered from)");
    }
    try (Reader reader = Reader.load(readerDir, engine.get()); SearchIndex index = SearchIndex.open(source.index)) {
      List<Passage> passages = new ArrayList<>();
      for (Hit h : index.search(question, mode, decoding.passages())) {
        passages.add(new Passage(h.id(), h.title(), h.text()));
      }
      Optional<Answer> answer = reader.answer(question, passages, decoding);
      var out = spec.commandLine().getOut();
      if (answer.isEmpty()) {
        out.println("no answer: the index returned no passage");
      } else {
        Answer a = answer.get();
        out.printf(Locale.ROOT, "%s%n  from %s (rank %d, selection %.3f, span %.3f): %s%n", a.text(), a.passage().id(),
            a.passageRank(), a.selectionScore(), a.spanScore(), a.passage().title());
      }
      out.flush();
    }
    return 0;
  }
}
