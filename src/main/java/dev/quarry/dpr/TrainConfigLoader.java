package dev.quarry.dpr;

import dev.quarry.ance.AnceConfig;
import dev.quarry.config.ConfigSection;
import dev.quarry.config.Overrides;
import dev.quarry.index.IndexType;
import dev.quarry.io.DataFormatException;
import dev.quarry.train.TrainingSections;
import dev.quarry.train.DevSplitConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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
 *   depth: 200                    # hits per training query (at least rank_to)
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
 * Problems are {@link DataFormatException}s that name the file and the full key: an unknown key at any level (with
 * the keys that are known), a missing required key, a value of the wrong type, a duplicate key, and a value the
 * section's record rejects.
 */
public final class TrainConfigLoader {
  private static final List<String> ROOT = List.of("model", "data", "training", "ance", "distillation");
  private static final List<String> DISTILLATION = List.of("weight", "teacher_temperature", "contrastive");
  private static final List<String> MODEL = List.of("name", "shared_towers", "query_max_length",
      "passage_max_length");
  private static final List<String> DATA = List.of("train", "dev", "negatives_per_query",
      "max_train_queries");
    private static final List<String> ANCE = List.of("refresh_every", "max_gap", "depth", "rank_from", "rank_to",
      "negatives_per_query", "index", "device", "encode_batch_size");

  private TrainConfigLoader() {
  }

  /** Reads and validates the YAML file. */
  public static TrainConfig load(Path file) {
    return load(file, Overrides.NONE);
  }

  /** Reads the YAML file with command-line overrides of its keys, and validates the result. */
  public static TrainConfig load(Path file, Overrides overrides) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return parse(text, file, overrides);
  }

  /** Parses YAML text; {@code file} names the source in error messages. */
  public static TrainConfig parse(String yaml, Path file) {
    return parse(yaml, file, Overrides.NONE);
  }

  /** Parses YAML text with {@code overrides} applied; {@code file} names the source in error messages. */
  public static TrainConfig parse(String yaml, Path file, Overrides overrides) {
    ConfigSection root = ConfigSection.parseYaml(yaml, file, ROOT, overrides);
    try {
      ConfigSection ance = root.optionalSection("ance", ANCE);
      ConfigSection distillation = root.optionalSection("distillation", DISTILLATION);
      return new TrainConfig(model(root.section("model", MODEL)), data(root.section("data", DATA)),
          TrainingSections.training(root.section("training", TrainingSections.TRAINING_KEYS)),
          Optional.ofNullable(ance).map(TrainConfigLoader::ance),
          distillation == null ? DistillationConfig.OFF : new DistillationConfig(distillation.requiredDouble("weight"),
              distillation.optionalDouble("teacher_temperature", 1.0),
              distillation.optionalBoolean("contrastive", true)));
    } catch (IllegalArgumentException e) {
      throw new DataFormatException(file, 0, e.getMessage(), e);
    }
  }

  private static ModelConfig model(ConfigSection s) {
    return new ModelConfig(s.requiredString("name"), s.optionalBoolean("shared_towers", true),
        s.optionalInt("query_max_length"), s.optionalInt("passage_max_length"));
  }

  private static DataConfig data(ConfigSection s) {
    String train = s.requiredString("train");
    DevSplitConfig split = TrainingSections.devSplit(s);
    int negatives = s.optionalInt("negatives_per_query", DataConfig.DEFAULT_NEGATIVES_PER_QUERY);
    if (train.isEmpty()) {
      throw s.error("data.train must name the training groups file");
    }
    return new DataConfig(Path.of(train), split, negatives, s.optionalInt("max_train_queries"));
  }

  private static AnceConfig ance(ConfigSection s) {
    int rankTo = s.requiredInt("rank_to");
    return new AnceConfig(s.requiredInt("refresh_every"), s.requiredInt("max_gap"),
        s.optionalInt("depth", Math.max(AnceConfig.DEFAULT_DEPTH, rankTo)),
        s.optionalInt("rank_from", AnceConfig.DEFAULT_RANK_FROM), rankTo,
        s.optionalInt("negatives_per_query", AnceConfig.DEFAULT_NEGATIVES_PER_QUERY),
        s.optionalEnum("index", IndexType.class, IndexType.FLAT),
        s.has("device") ? s.requiredString("device") : AnceConfig.DEFAULT_DEVICE,
        s.optionalInt("encode_batch_size", AnceConfig.DEFAULT_ENCODE_BATCH_SIZE));
  }

}
