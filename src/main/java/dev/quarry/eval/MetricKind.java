package dev.quarry.eval;

/** The measures Quarry computes, each with its trec_eval name and whether it takes a cutoff. */
public enum MetricKind {
  /** Normalized DCG with graded gains (trec_eval {@code ndcg_cut.K}; {@code ndcg} without a cutoff). */
  NDCG("ndcg", Cutoff.OPTIONAL),
  /** Relevant retrieved in the top K over all relevant (trec_eval {@code recall.K}). */
  RECALL("recall", Cutoff.OPTIONAL),
  /** Relevant retrieved in the top K over K (trec_eval {@code P.K}). */
  PRECISION("p", Cutoff.REQUIRED),
  /** Average precision (trec_eval {@code map}; {@code map_cut.K} with a cutoff). */
  MAP("map", Cutoff.OPTIONAL),
  /** Reciprocal rank of the first relevant document (trec_eval {@code recip_rank}); with K, only the top K count (MS MARCO's MRR@10). */
  MRR("mrr", Cutoff.OPTIONAL),
  /** Precision at R, the number of relevant documents (trec_eval {@code Rprec}). */
  RPREC("rprec", Cutoff.NONE),
  /** DPR's top-K accuracy: 1 if a passage in the top K contains an answer string. */
  ACCURACY("accuracy", Cutoff.REQUIRED);

  enum Cutoff { NONE, OPTIONAL, REQUIRED }

  private final String label;
  private final Cutoff cutoff;

  MetricKind(String label, Cutoff cutoff) {
    this.label = label;
    this.cutoff = cutoff;
  }

  /** The name used in metric specs such as {@code ndcg@10}. */
  public String label() {
    return label;
  }

  Cutoff cutoff() {
    return cutoff;
  }

  /** Whether the measure needs answer strings rather than relevance judgments. */
  public boolean needsAnswers() {
    return this == ACCURACY;
  }
}
