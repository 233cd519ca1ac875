/**
 * Training losses, each a small class whose maths runs on embeddings alone, so it is unit-tested without a model.
 */
package dev.quarry.loss;
