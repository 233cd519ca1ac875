/**
 * The vectors artifact: float32 embeddings of an ordered list of ids (a corpus or a query set), written in shards
 * by a resumable {@link dev.quarry.vectors.VectorWriter} and read, validated and memory-mapped by
 * {@link dev.quarry.vectors.VectorReader}. A job killed at any point and run again resumes at the first incomplete
 * shard and ends with the same bytes as an uninterrupted run. {@link dev.quarry.vectors.VectorsFormat} documents
 * the files field by field.
 */
package dev.quarry.vectors;
