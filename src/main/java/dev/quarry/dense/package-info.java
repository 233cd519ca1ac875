/**
 * Dense retrieval of a dataset: the corpus encoded once into a cached vectors artifact (keyed by model, corpus and
 * inference engine), queries encoded, and a vector index searched; plus the in-memory evaluation trainers use. May
 * import {@code data}, {@code eval}, {@code index}, {@code io}, {@code model}, {@code util}, {@code vectors}.
 */
package dev.quarry.dense;
