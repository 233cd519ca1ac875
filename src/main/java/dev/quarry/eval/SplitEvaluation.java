package dev.quarry.eval;

import dev.quarry.data.Dataset;
import dev.quarry.data.Qrels;
import dev.quarry.data.Run;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How a trained model's run of a split is scored, the same way wherever it happens (the end of {@code train} and
 * {@code train-reranker}, each stage of the RocketQA pipeline): trec_eval's defaults, the standard measures, and DPR's
 * answer accuracy when the split has answers (SQuAD, DPR data).
 */
public final class SplitEvaluation {
  /** The measures of every test report. */
  public static final List<Metric> STANDARD = Metric.parseList("ndcg@10,recall@100,recall@1000,mrr@10");
  /** Added where the split has answers: DPR's top-k answer accuracy. */
  public static final List<Metric> ANSWERS = Metric.parseList("accuracy@1,accuracy@20,accuracy@100");
  /** How deep an answer oracle reads the run at least (deeper for a deeper accuracy cutoff). */
  private static final int ANSWER_DEPTH = 100;

  private SplitEvaluation() {
  }

  /** The measures reported for {@code split} of {@code dataset}. */
  public static List<Metric> metrics(Dataset dataset, String split) {
    if (dataset.answers(split).isEmpty()) {
      return STANDARD;
    }
    List<Metric> all = new ArrayList<>(STANDARD);
    all.addAll(ANSWERS);
    return List.copyOf(all);
  }

  /** Scores {@code run} against every judged query of {@code split} with the measures {@link #metrics} names. */
  public static EvalReport evaluate(Dataset dataset, String split, Run run) {
    return evaluate(dataset, split, run, metrics(dataset, split));
  }

  /** Scores {@code run} against every judged query of {@code split} with {@code metrics}. */
  public static EvalReport evaluate(Dataset dataset, String split, Run run, List<Metric> metrics) {
    return evaluate(dataset, split, dataset.qrels(split), run, metrics);
  }

  /** Scores {@code run} against the judged queries of {@code split} among {@code queryIds} (a dev carve). */
  public static EvalReport evaluate(Dataset dataset, String split, Set<String> queryIds, Run run) {
    return evaluate(dataset, split, dataset.qrels(split).restrictTo(queryIds), run, metrics(dataset, split));
  }

  /**
   * Checks that {@code metrics} can be measured on {@code split} (answer accuracy needs a split with answers), before
   * the work whose run they score.
   */
  public static List<Metric> checked(Dataset dataset, String split, List<Metric> metrics) {
    if (dataset.answers(split).isEmpty()) {
      for (Metric m : metrics) {
        if (m.kind().needsAnswers()) {
          throw new IllegalArgumentException(m.name() + " needs answers, and split " + split + " of "
              + dataset.root() + " has none; answer accuracy is measured on QA data (SQuAD, DPR)");
        }
      }
    }
    return List.copyOf(metrics);
  }

  private static EvalReport evaluate(Dataset dataset, String split, Qrels qrels, Run run, List<Metric> metrics) {
    Optional<Map<String, List<String>>> answers = dataset.answers(split);
    int depth = Math.max(ANSWER_DEPTH, metrics.stream().filter(m -> m.kind().needsAnswers())
        .mapToInt(Metric::cutoff).max().orElse(0));
    return new Evaluator(EvalConfig.DEFAULT).evaluate(qrels, run, metrics,
        answers.map(a -> PassageAnswerOracle.of(dataset, a, run, depth)).orElse(null));
  }
}
