package dev.quarry.mine;

import dev.quarry.data.Dataset;
import dev.quarry.data.Passage;
import dev.quarry.data.Qrels;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import dev.quarry.data.TrecOrder;
import dev.quarry.eval.DprAnswerMatcher;
import dev.quarry.util.Progress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Mines hard negatives from a candidate run into {@link TrainGroup}s.
 *
 * <p>For each query of the split, in the order given:
 * <ol>
 *   <li>Positives are its judged documents with relevance {@code >= 1}, in qrels order. A query with none is skipped
 *     (and counted).</li>
 *   <li>Candidates are the run's documents for the query at ranks {@code from..to}, ranked in trec_eval's order
 *     ({@link TrecOrder#BEST_FIRST}: the ranks are those trec_eval evaluates, whatever the file's rank column says).
 *     Positives among them are dropped; under {@link PositiveRule#ANSWERS} so are those whose text contains an
 *     answer. A query the run does not rank has no candidates (and is counted).</li>
 *   <li>{@code negatives} candidates are sampled uniformly without replacement (all of them when there are fewer)
 *     and written best rank first, with their rank and score.</li>
 *   <li>{@code randomNegatives} passages are drawn uniformly from the whole corpus, never a positive, a negative
 *     already chosen, or (under ANSWERS) a passage containing an answer.</li>
 * </ol>
 * All sampling for a query uses its own stream from {@link QuerySeeds}, so the groups depend only on the config, the
 * data and the run: not on the order of the queries or on which others are mined with them. To reproduce it
 * elsewhere: with {@code r} the query's {@code java.util.Random}, the eligible candidates in rank order and
 * {@code n} their count, for {@code i = 0 .. min(negatives, n) - 1} swap position {@code i} with
 * {@code i + r.nextInt(n - i)} and take position {@code i}; then draw corpus positions (0-based, in corpus file
 * order) with {@code r.nextInt(corpusSize)}, skipping positions drawn before, and keep each drawn passage that may be
 * a random negative until {@code randomNegatives} are kept or every position was drawn.
 *
 * <p>Candidates come from the run only; nothing is scored. The corpus is streamed: once to check answers (ANSWERS),
 * once to count it (random negatives under QRELS), once to fetch the chosen passages' texts (again only for random
 * draws that were rejected). Memory holds the candidates in range and the texts of the chosen passages, never a
 * query by corpus matrix.
 */
public final class NegativeMiner {
  private final MiningConfig config;

  public NegativeMiner(MiningConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  public MiningConfig config() {
    return config;
  }

  /** Mines every query of {@code split} into {@code output}, written atomically. */
  public MiningReport mine(Dataset dataset, String split, Run run, Path output, Progress progress) {
    dataset.requireSplit(split);
    return mine(dataset, split, dataset.queries(split), run, output, progress);
  }

  /** Mines every query of {@code split}, handing each group to {@code sink} in the split's query order. */
  public MiningReport mine(Dataset dataset, String split, Run run, Consumer<TrainGroup> sink, Progress progress) {
    dataset.requireSplit(split);
    return mine(dataset, split, dataset.queries(split), run, sink, progress);
  }

  /**
   * Mines the given queries of {@code split} into a file, written atomically: a subset, for example the training
   * side of a {@link DevSplit} ({@code DevSplit.select(queries, split.train())}).
   */
  public MiningReport mine(Dataset dataset, String split, List<Query> queries, Run run, Path output,
      Progress progress) {
    try (TrainGroupFormat.Writer writer = TrainGroupFormat.writer(output)) {
      MiningReport report = mine(dataset, split, queries, run, writer::write, progress);
      writer.commit();
      return report;
    }
  }

  /**
   * Mines {@code queries}, judged in {@code split}, handing each group to {@code sink} in query order.
   *
   * @throws IllegalArgumentException if a query repeats, if ANSWERS is asked of a dataset without answers, or if
   *     a positive or a chosen candidate is not in the corpus
   */
  public MiningReport mine(Dataset dataset, String split, List<Query> queries, Run run, Consumer<TrainGroup> sink,
      Progress progress) {
    dataset.requireSplit(split);
    Qrels qrels = dataset.qrels(split);
    Map<String, List<String>> answers = config.positiveRule() == PositiveRule.ANSWERS
        ? dataset.answers(split).orElseThrow(() -> new IllegalArgumentException("the ANSWERS positive rule needs a "
            + "dataset with answers (SQuAD or DPR); " + dataset.root() + " (" + dataset.format() + ") has none"))
        : null;
    Planned planned = plan(queries, qrels, answers, run, split);
    List<QueryPlan> plans = planned.plans();

    int corpusSize = -1;
    long droppedAnswer = 0;
    if (answers != null) {
      AnswerScreen.Result screened = AnswerScreen.screen(dataset, plans, progress);
      droppedAnswer = screened.dropped();
      corpusSize = screened.corpusSize();
    }
    int shortOfNegatives = 0;
    Set<String> wanted = new LinkedHashSet<>();
    for (QueryPlan plan : plans) {
      plan.chooseFromRun(config.negatives());
      shortOfNegatives += plan.inRun && plan.chosen.size() < config.negatives() ? 1 : 0;
      wanted.addAll(plan.positiveIds);
      plan.chosen.forEach(c -> wanted.add(c.docId()));
    }
    if (config.randomNegatives() > 0 && corpusSize < 0 && !plans.isEmpty()) {
      corpusSize = CorpusLookup.scan(dataset, Set.of(), Set.of(), -1, "mine: counting passages", progress)
          .corpusSize();
    }
    Map<String, Passage> passages = PassageFetch.run(dataset, plans, wanted, config.randomNegatives(), corpusSize,
        progress);

    long hard = 0;
    long random = 0;
    for (QueryPlan plan : plans) {
      TrainGroup group = group(plan, passages, split);
      hard += plan.chosen.size();
      random += plan.randoms.size();
      sink.accept(group);
    }
    return new MiningReport(plans.size(), planned.skipped(), planned.withoutCandidates(), shortOfNegatives, hard,
        random, planned.droppedRelevant(), droppedAnswer);
  }

  /** The queries to write, with their candidates in range; and what was left out on the way. */
  private record Planned(List<QueryPlan> plans, int skipped, int withoutCandidates, long droppedRelevant) {
  }

  private Planned plan(List<Query> queries, Qrels qrels, Map<String, List<String>> answers, Run run, String split) {
    List<QueryPlan> plans = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int skipped = 0;
    int withoutCandidates = 0;
    long droppedRelevant = 0;
    for (Query query : queries) {
      if (!seen.add(query.id())) {
        throw new IllegalArgumentException("query " + query.id() + " is listed twice");
      }
      List<String> positives = qrels.relevant(query.id());
      if (positives.isEmpty()) {
        skipped++;
        continue;
      }
      List<ScoredDoc> ranked = TrecOrder.sorted(run.docs(query.id()));
      withoutCandidates += ranked.isEmpty() ? 1 : 0;
      QueryPlan plan = new QueryPlan(query, positives, !ranked.isEmpty(),
          QuerySeeds.forQuery(config.seed(), query.id()), answerTokens(answers, query, split));
      for (int rank = config.from(); rank <= Math.min(config.to(), ranked.size()); rank++) {
        ScoredDoc doc = ranked.get(rank - 1);
        if (plan.isPositive(doc.docId())) {
          droppedRelevant++;
        } else {
          plan.candidates.add(new QueryPlan.Candidate(doc.docId(), rank, doc.score()));
        }
      }
      plans.add(plan);
    }
    return new Planned(plans, skipped, withoutCandidates, droppedRelevant);
  }

  private static List<List<String>> answerTokens(Map<String, List<String>> answers, Query query, String split) {
    if (answers == null) {
      return null;
    }
    List<String> texts = answers.get(query.id());
    if (texts == null) {
      throw new IllegalArgumentException("query " + query.id() + " has no answers in split " + split
          + "; the ANSWERS positive rule needs them for every query");
    }
    return texts.stream().map(DprAnswerMatcher::tokens).toList();
  }

  private TrainGroup group(QueryPlan plan, Map<String, Passage> passages, String split) {
    List<Passage> positives = new ArrayList<>();
    for (String id : plan.positiveIds) {
      positives.add(require(passages, id, () -> "the qrels of split " + split + " judge document " + id
          + " relevant to query " + plan.query.id() + ", but the corpus has no such document"));
    }
    List<TrainGroup.Negative> negatives = new ArrayList<>();
    for (QueryPlan.Candidate c : plan.chosen) {
      Passage p = require(passages, c.docId(), () -> "the run ranks document " + c.docId() + " for query "
          + plan.query.id() + ", but the corpus has no such document");
      negatives.add(TrainGroup.Negative.ranked(p, config.source(), c.rank(), c.score()));
    }
    plan.randoms.forEach(p -> negatives.add(TrainGroup.Negative.random(p)));
    return new TrainGroup(plan.query.id(), plan.query.text(), positives, negatives);
  }

  private static Passage require(Map<String, Passage> passages, String id,
      java.util.function.Supplier<String> problem) {
    Passage p = passages.get(id);
    if (p == null) {
      throw new IllegalArgumentException(problem.get());
    }
    return p;
  }
}
