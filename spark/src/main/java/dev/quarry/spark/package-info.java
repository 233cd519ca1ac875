/**
 * Quarry's corpus-scale jobs on Apache Spark (the separate {@code quarry-spark} module, docs/spark.md): corpus
 * encoding ({@link dev.quarry.spark.CorpusEncodingJob}), exact dense search over parts of the corpus merged into one
 * run ({@link dev.quarry.spark.DenseSearchJob}) and pair scoring with a cross-encoder or teacher
 * ({@link dev.quarry.spark.PairScoringJob}), each equal to the single-node command it distributes. Workers load a
 * model once per JVM ({@link dev.quarry.spark.WorkerResources}) and read the dataset and artifacts from paths every
 * worker sees.
 */
package dev.quarry.spark;
