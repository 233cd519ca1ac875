package dev.quarry.dpr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.ance.AnceConfig;
import dev.quarry.config.ConfigBinder;
import dev.quarry.config.Overrides;
import dev.quarry.io.DataFormatException;
import dev.quarry.train.DistillationConfig;
import java.nio.file.Path;

/**
 * Reads a {@link TrainConfig} from YAML. Every key, with its default where it may be left out:
 *
 * <pre>
 * model:
 *   name: all-minilm-l6-v2        # required: a bundled model or a model directory
 *   shared_towers: true           # one encoder for queries and passages
 *   query_max_length: 64          # optional: overrides the model's recipe
 *   passage_max_length: 192       # optional: overrides the model's recipe
 * data:
 *   train: runs/scifact-groups.jsonl   # required: the training groups file
 *   dev:
 *     queries: 100                # training queries held out as the dev split
 *     seed: 13
 *   negatives_per_query: 1
 *   max_train_queries: 3200       # optional: a seeded sample of the training queries
 * training:
 *   epochs: 3                     # required
 *   batch_size: 32                # required: queries per step
 *   learning_rate: 2.0e-5         # required: peak
 *   warmup_ratio: 0.1             # required: in [0, 1)
 *   weight_decay: 0.01
 *   max_grad_norm: 1.0            # 0 or less disables clipping
 *   temperature: 0.05
 *   seed: 42                      # required
 *   gradient_cache:               # optional: absent means disabled
 *     enabled: false
 *     chunk_size: 16              # required when enabled
 *   checkpoint_every: 100         # required: steps
 *   dev_evaluation: every_epoch   # every_epoch (export the best), last_epoch or none (export the last)
 * ance:                           # optional: ANCE negatives from a refreshed index of the corpus (AnceConfig)
 *   refresh_every: 22             # required: steps between refreshes
 *   max_gap: 22                   # required: steps the trainer may run past a refresh request before waiting
 *   depth: 200                    # hits per training query (at least rank_to; the default is max(200, rank_to))
 *   rank_from: 1                  # negatives are sampled from ranks rank_from .. rank_to, positives skipped
 *   rank_to: 100                  # required
 *   negatives_per_query: 1        # ANCE negatives per query per step, besides data.negatives_per_query mined ones
 *   index: flat                   # flat (exact) or hnsw
 *   device: cpu                   # where the refresher encodes (cpu, gpu0, ...)
 *   encode_batch_size: 64
 * distillation:                   # optional: listwise distillation from the groups' teacher scores (DistillationConfig)
 *   weight: 1.0                   # required: the KL term's weight
 *   teacher_temperature: 1.0      # the teacher's scores are divided by it before their softmax
 *   contrastive: true             # false: the distillation loss alone, without InfoNCE
 * </pre>
 *
 * The records bind the keys ({@link ConfigBinder}: a component per key, its default on it); this class adds the one
 * default computed from another key ({@code ance.depth}). Problems are {@link DataFormatException}s that name the
 * file and the full key: an unknown key at any level (with the keys that are known), a missing required key, a value
 * of the wrong type, a duplicate key, and a value the section's record rejects.
 */
public final class TrainConfigLoader {
  private TrainConfigLoader() {
  }

  /** Reads and validates the YAML file. */
  public static TrainConfig load(Path file) {
    return load(file, Overrides.NONE);
  }

  /** Reads the YAML file with command-line overrides of its keys, and validates the result. */
  public static TrainConfig load(Path file, Overrides overrides) {
    return bind(ConfigBinder.readYaml(file), file, overrides);
  }

  /** Parses YAML text; {@code file} names the source in error messages. */
  public static TrainConfig parse(String yaml, Path file) {
    return parse(yaml, file, Overrides.NONE);
  }

  /** Parses YAML text with {@code overrides} applied; {@code file} names the source in error messages. */
  public static TrainConfig parse(String yaml, Path file, Overrides overrides) {
    return bind(ConfigBinder.parseYaml(yaml, file), file, overrides);
  }

  /** Binds a config tree (a file's, or a pipeline stage's), with {@code overrides} applied to a copy of it. */
  public static TrainConfig bind(JsonNode tree, Path file, Overrides overrides) {
    JsonNode copy = tree == null ? null : tree.deepCopy();
    if (copy instanceof ObjectNode root) {
      ConfigBinder.apply(overrides, root, file);
      if (root.get("ance") instanceof ObjectNode ance && !ance.has("depth") && ance.path("rank_to").canConvertToInt()) {
        ance.put("depth", Math.max(AnceConfig.DEFAULT_DEPTH, ance.get("rank_to").intValue()));
      }
    }
    return ConfigBinder.bind(copy, file, TrainConfig.class);
  }
}
