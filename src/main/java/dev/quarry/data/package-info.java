/**
 * Retrieval data: records (passages, queries, judgments, runs), the readers and writers of BEIR, MS MARCO, DPR, SQuAD
 * and TREC files, the id rule every reader and writer applies ({@link dev.quarry.data.Ids}), and the
 * {@link dev.quarry.data.Dataset} interface. May import {@code io} only.
 */
package dev.quarry.data;
