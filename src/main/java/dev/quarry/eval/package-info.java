/**
 * Evaluation equal to trec_eval (nDCG, MAP, recall, MRR, precision at cutoffs, with its tie-breaking and its handling
 * of unjudged and missing queries), DPR's answer-match top-k accuracy, and paired randomization tests between runs.
 * May import {@code data} and {@code io}.
 */
package dev.quarry.eval;
