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
  /** How deep an answer oracle reads the run (the deepest accuracy cutoff). */
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

  /** Scores {@code run} against every judged query of {@code split}. */
  public static EvalReport evaluate(Dataset dataset, String split, Run run) {
    return evaluate(dataset, split, dataset.qrels(split), run);
  }

  /** Scores {@code run} against the judged queries of {@code split} among {@code queryIds} (a dev carve). */
  public static EvalReport evaluate(Dataset dataset, String split, Set<String> queryIds, Run run) {
    return evaluate(dataset, split, dataset.qrels(split).restrictTo(queryIds), run);
  }

  private static EvalReport evaluate(Dataset dataset, String split, Qrels qrels, Run run) {
    Optional<Map<String, List<String>>> answers = dataset.answers(split);
    return new Evaluator(EvalConfig.DEFAULT).evaluate(qrels, run, metrics(dataset, split),
        answers.map(a -> PassageAnswerOracle.of(dataset, a, run, ANSWER_DEPTH)).orElse(null));
  }
}
