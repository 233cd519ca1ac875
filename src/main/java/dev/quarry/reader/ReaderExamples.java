package dev.quarry.reader;

import dev.quarry.data.Passage;
import dev.quarry.data.Qrels;
import dev.quarry.data.Query;
import dev.quarry.data.ScoredDoc;
import dev.quarry.eval.DprAnswerMatcher;
import dev.quarry.rerank.Candidates;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DPR's reader training data from a retriever's run of the training questions: for each question, among the run's
 * top {@code candidates} passages,
 * <ul>
 *   <li>the positive is the gold passage (qrels) when it is there and an answer string occurs in the part of it the
 *       reader sees, else the best-ranked passage where one does; its answer spans are every occurrence of every
 *       answer string in that part ({@link AnswerMatches});
 *   <li>the negatives are the passages in which no answer occurs (DPR's {@code has_answer}, {@link DprAnswerMatcher})
 *       and that are not gold, in rank order; each step draws {@code m} of them.
 * </ul>
 * A question without a positive, or with fewer than {@code m} negatives, is left out and counted.
 *
 * @param examples the questions trained on
 * @param withoutPositive questions left out because no passage in the top candidates holds an answer the reader sees
 * @param shortOfNegatives questions left out for having fewer than {@code m} negatives
 */
public record ReaderExamples(List<Example> examples, int withoutPositive, int shortOfNegatives) {

  /** One training question: its positive sequence with the answer spans in it, and its negative passages. */
  public record Example(Query query, ReaderSequence positive, int[] spanStarts, int[] spanEnds,
      List<Passage> negatives) {
  }

  /** The examples of {@code questions} (ids of the candidates' queries) that have a positive and m negatives. */
  public static ReaderExamples build(List<Query> questions, Candidates candidates, Map<String, List<String>> answers,
      Qrels qrels, ReaderTokenizer tokenizer, int negatives) {
    List<Example> examples = new ArrayList<>();
    int withoutPositive = 0;
    int shortOfNegatives = 0;
    for (Query q : questions) {
      List<String> golds = answers.getOrDefault(q.id(), List.of());
      Set<String> gold = new HashSet<>(qrels.relevant(q.id()));
      List<ScoredDoc> top = new ArrayList<>(candidates.top(q.id()));
      top.sort(Comparator.comparing((ScoredDoc d) -> !gold.contains(d.docId())));   // stable: gold first
      Example found = null;
      List<List<String>> answerTokens = golds.stream().map(DprAnswerMatcher::tokens).toList();
      List<Passage> negativePassages = new ArrayList<>();
      for (ScoredDoc d : candidates.top(q.id())) {
        Passage p = candidates.passage(d.docId());
        if (!gold.contains(p.id()) && !DprAnswerMatcher.hasAnswerTokens(answerTokens,
            DprAnswerMatcher.tokens(p.text()))) {
          negativePassages.add(p);
        }
      }
      for (ScoredDoc d : top) {
        found = positive(q, candidates.passage(d.docId()), golds, tokenizer, negativePassages);
        if (found != null) {
          break;
        }
      }
      if (found == null) {
        withoutPositive++;
      } else if (negativePassages.size() < negatives) {
        shortOfNegatives++;
      } else {
        examples.add(found);
      }
    }
    return new ReaderExamples(List.copyOf(examples), withoutPositive, shortOfNegatives);
  }

  private static Example positive(Query q, Passage p, List<String> golds, ReaderTokenizer tokenizer,
      List<Passage> negatives) {
    List<AnswerMatches.CharSpan> chars = AnswerMatches.find(p.text(), golds);
    if (chars.isEmpty()) {
      return null;
    }
    ReaderSequence s = tokenizer.sequence(q.text(), p);
    Set<List<Integer>> spans = new LinkedHashSet<>();
    for (AnswerMatches.CharSpan c : chars) {
      s.tokenSpan(c.start(), c.end()).ifPresent(t -> spans.add(List.of(t[0], t[1])));
    }
    if (spans.isEmpty()) {
      return null;
    }
    int[] starts = spans.stream().mapToInt(t -> t.get(0)).toArray();
    int[] ends = spans.stream().mapToInt(t -> t.get(1)).toArray();
    return new Example(q, s, starts, ends, List.copyOf(negatives));
  }
}
