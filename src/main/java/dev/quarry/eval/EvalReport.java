package dev.quarry.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.JsonLines;
import java.util.List;
import java.util.Map;

/**
 * The result of evaluating one run: per-query values (in the qrels' query order; under {@code complete}, queries
 * without a ranking appear with zeros) and the means.
 *
 * @param metrics the measures, in the order asked for
 * @param perQuery each counted query's values, aligned with {@code metrics}
 * @param means the averages, aligned with {@code metrics}
 * @param numQueries the divisor of the averages (trec_eval's num_q)
 * @param missing queries of the qrels the run has no ranking for
 */
public record EvalReport(List<Metric> metrics, Map<String, double[]> perQuery, double[] means, int numQueries,
    List<String> missing) {

  /** The mean of one metric; the metric must be one of this report's. */
  public double mean(Metric metric) {
    int i = metrics.indexOf(metric);
    if (i < 0) {
      throw new IllegalArgumentException("metric " + metric + " was not evaluated; evaluated " + metrics);
    }
    return means[i];
  }

  public double mean(String metric) {
    return mean(Metric.parse(metric));
  }

  /** One query's value of one metric. */
  public double value(String queryId, Metric metric) {
    double[] values = perQuery.get(queryId);
    if (values == null) {
      throw new IllegalArgumentException("query " + queryId + " was not evaluated");
    }
    return values[metrics.indexOf(metric)];
  }

  /** {@code {"ndcg@10": 0.6789, ...}} with the means at full precision. */
  public ObjectNode meansJson() {
    ObjectNode o = JsonLines.MAPPER.createObjectNode();
    for (int i = 0; i < metrics.size(); i++) {
      o.put(metrics.get(i).name(), means[i]);
    }
    return o;
  }
}
