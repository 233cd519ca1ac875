/**
 * DPR's extractive reader and open-domain question answering: the reader model ({@link dev.quarry.reader.Reader}),
 * its input layout ({@link dev.quarry.reader.ReaderTokenizer}), training data mined from a retriever's run
 * ({@link dev.quarry.reader.ReaderExamples}), its config and trainer, and answering the questions of a run
 * ({@link dev.quarry.reader.QuestionAnswering}). May import {@code train}, {@code config}, {@code data},
 * {@code eval}, {@code io}, {@code loss}, {@code mine}, {@code model}, {@code random}, {@code rerank} (for
 * {@code Candidates}), {@code util}; {@code cli} imports it.
 */
package dev.quarry.reader;
