package dev.quarry.eval;

import dev.quarry.data.Qrels;
import dev.quarry.data.Run;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Evaluates runs against qrels with trec_eval 9.0.x semantics (see {@link RankedList} for the ordering and
 * {@link Measures} for the formulas): run queries without judgments are ignored; a query judged only non-relevant
 * still counts (scoring 0); under {@link EvalConfig#complete()} the average is over every query of the qrels.
 */
public final class Evaluator {
  private final EvalConfig config;

  public Evaluator(EvalConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  public EvalReport evaluate(Qrels qrels, Run run, List<Metric> metrics) {
    return evaluate(qrels, run, metrics, null);
  }

  /**
   * @param answers needed when a metric is {@code accuracy@K}, else may be null
   * @throws IllegalArgumentException when no query of the run has judgments
   */
  public EvalReport evaluate(Qrels qrels, Run run, List<Metric> metrics, AnswerOracle answers) {
    if (answers == null && metrics.stream().anyMatch(m -> m.kind().needsAnswers())) {
      throw new IllegalArgumentException("accuracy@K needs answer strings; this dataset has none");
    }
    Map<String, double[]> perQuery = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    double[] sums = new double[metrics.size()];
    for (String qid : qrels.queryIds()) {
      if (!run.queryIds().contains(qid)) {
        missing.add(qid);
        if (config.complete()) {
          perQuery.put(qid, new double[metrics.size()]);
        }
        continue;
      }
      RankedList list = RankedList.of(run.docs(qid), qrels.judgments(qid), config.relevanceLevel(),
          config.maxRetrieved());
      boolean[] hits = answers == null ? null : answers.hits(qid, list.docIds);
      double[] values = new double[metrics.size()];
      for (int m = 0; m < metrics.size(); m++) {
        values[m] = Measures.compute(metrics.get(m), list, config.relevanceLevel(), hits);
        sums[m] += values[m];
      }
      perQuery.put(qid, values);
    }
    int evaluated = qrels.queryIds().size() - missing.size();
    if (evaluated == 0) {
      throw new IllegalArgumentException("no query of the run has judgments in the qrels ("
          + run.queryIds().size() + " run queries, " + qrels.queryIds().size() + " judged queries): wrong split?");
    }
    int divisor = config.complete() ? qrels.queryIds().size() : evaluated;
    double[] means = new double[metrics.size()];
    for (int m = 0; m < metrics.size(); m++) {
      means[m] = sums[m] / divisor;
    }
    return new EvalReport(List.copyOf(metrics), perQuery, means, divisor, List.copyOf(missing));
  }
}
