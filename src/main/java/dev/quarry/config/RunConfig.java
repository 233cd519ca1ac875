package dev.quarry.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.Checksums;

/**
 * A config a command runs ({@code train}, {@code train-reranker}, {@code pretrain}): its values as JSON, and their
 * SHA-256, which checkpoints and run records carry so a run resumes only under the settings it started with.
 */
public interface RunConfig {
  /** Every value the run depends on, defaults filled in. */
  ObjectNode toJson();

  /** SHA-256 (lowercase hex) of {@link #toJson()} written compactly: equal configs hash equally. */
  default String sha256() {
    return Checksums.sha256(toJson());
  }
}
