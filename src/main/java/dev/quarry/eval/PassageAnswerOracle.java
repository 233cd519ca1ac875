package dev.quarry.eval;

import dev.quarry.data.Dataset;
import dev.quarry.data.Run;
import dev.quarry.data.TrecOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers from a dataset's answer strings and passage texts (DPR compares the passage text only, not its title).
 * Only the passages a run ranks within the deepest accuracy cutoff are read from the corpus and tokenized.
 */
public final class PassageAnswerOracle implements AnswerOracle {
  private final Map<String, List<List<String>>> answerTokens;
  private final Map<String, List<String>> passageTokens;

  private PassageAnswerOracle(Map<String, List<List<String>>> answerTokens, Map<String, List<String>> passageTokens) {
    this.answerTokens = answerTokens;
    this.passageTokens = passageTokens;
  }

  /**
   * @param depth the deepest rank any accuracy metric looks at
   */
  public static PassageAnswerOracle of(Dataset dataset, Map<String, List<String>> answers, Run run, int depth) {
    Set<String> needed = new HashSet<>();
    for (String qid : run.queryIds()) {
      if (answers.containsKey(qid)) {
        run.docs(qid).stream().sorted(TrecOrder.BEST_FIRST).limit(depth).forEach(d -> needed.add(d.docId()));
      }
    }
    Map<String, List<String>> passages = new ConcurrentHashMap<>();
    dataset.forEachPassage(p -> {
      if (needed.contains(p.id())) {
        passages.put(p.id(), DprAnswerMatcher.tokens(p.text()));
      }
    });
    Map<String, List<List<String>>> answerTokens = new HashMap<>();
    answers.forEach((qid, texts) -> answerTokens.put(qid, texts.stream().map(DprAnswerMatcher::tokens).toList()));
    return new PassageAnswerOracle(answerTokens, passages);
  }

  @Override
  public boolean[] hits(String queryId, List<String> rankedDocIds) {
    List<List<String>> answers = answerTokens.get(queryId);
    if (answers == null) {
      throw new IllegalArgumentException("query " + queryId + " has no answers in the dataset");
    }
    boolean[] hits = new boolean[rankedDocIds.size()];
    for (int i = 0; i < hits.length; i++) {
      List<String> passage = passageTokens.get(rankedDocIds.get(i));
      hits[i] = passage != null && DprAnswerMatcher.hasAnswerTokens(answers, passage);
    }
    return hits;
  }
}
