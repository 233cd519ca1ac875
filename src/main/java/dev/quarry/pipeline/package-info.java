/**
 * RocketQA's four-stage pipeline (MD0 -> MC -> MD1 -> MD2), its config and its report. MC is a trained cross-encoder
 * or a fusion teacher. May import every library package; only {@code cli} imports it.
 */
package dev.quarry.pipeline;
