package dev.quarry.eval;

import java.util.List;

/** Tells, for a query and its ranked passages, which passages contain one of the query's answers. */
@FunctionalInterface
public interface AnswerOracle {
  /** One flag per ranked document id; null when the query has no answers. */
  boolean[] hits(String queryId, List<String> rankedDocIds);
}
