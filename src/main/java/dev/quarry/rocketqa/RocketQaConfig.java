package dev.quarry.rocketqa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.config.ConfigBinder;
import dev.quarry.config.ConfigDefault;
import dev.quarry.config.ConfigPaths;
import dev.quarry.config.Overrides;
import dev.quarry.dpr.TrainConfig;
import dev.quarry.dpr.TrainConfigLoader;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.Checksums;
import dev.quarry.io.DataFormatException;
import dev.quarry.io.JsonLines;
import dev.quarry.rerank.RerankerConfig;
import dev.quarry.teacher.TeacherConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The RocketQA pipeline config ({@code examples/scifact-rocketqa.yaml}): one section per stage and the pipeline's own
 * settings.
 *
 * <pre>
 * pipeline:
 *   depth: 30                 # top-k retrieved by MD0 / MD1 for the cross-encoder, denoising and augmentation
 *   md0_random_negatives: 1   # MD0's negatives: random passages (plus in-batch and cross-batch ones)
 *   md1_negatives_from: 1     # MD1's hard negatives: MD0's ranks from..to, less what denoising drops
 *   md1_negatives_to: 30
 *   negative_below: 0.1       # denoising and augmentation thresholds on the cross-encoder's probability
 *   positive_above: 0.9
 *   pseudo_queries: 2000      # unlabeled queries for MD2: titles of unjudged corpus documents (PseudoQueries)
 *   unlabeled_queries: q.txt  # optional: MD2's unlabeled queries from this file instead (UnlabeledQueries: one per
 *                             # line, or BEIR .jsonl), pseudo_queries of them sampled; as given, else beside the config
 *   augmentation_ratio: 1.0   # augmented groups per labeled group in MD2's data
 *   stage_init: base          # base: MD1 and MD2 start from their model.name; previous: from MD0's / MD1's model
 *   seed: 13
 * md0: {model, data, training}   # a train config (examples/scifact-dpr.yaml) without data.train; MD1 and MD2
 *                                 # may have a distillation section: their groups then carry MC's scores
 * mc:  {model, data, training}   # a train-reranker config without data.train and data.candidates
 * teacher: {members, ...}         # instead of mc: MC is a fusion teacher fitted on dev (TeacherConfig); a member
 *                                 # named md0 is MD0's model
 * md1: {model, data, training}
 * md2: {model, data, training}
 * </pre>
 *
 * The pipeline writes each stage's complete config, with the generated files filled in, to the stage's folder, and
 * loads it with the stage's own loader; every stage section is also checked at load time, before anything runs.
 */
public record RocketQaConfig(Settings settings, Map<Stage, ObjectNode> sections, Optional<TeacherConfig> teacher,
    List<Control> controls, Path file, ObjectNode tree) {
  /** The name a teacher member gives MD0's model, which the pipeline trains before it fits the teacher. */
  public static final String MD0_MEMBER = "md0";

  /** Where MD1 and MD2 start from. */
  public enum StageInit {
    /** Each dual encoder starts from its own section's {@code model.name} (RocketQA trains each from scratch). */
    BASE,
    /** MD1 continues from MD0's model and MD2 from MD1's: less training per stage for the same quality. */
    PREVIOUS
  }

  /**
   * The file's sections as bound: the pipeline's settings, the teacher, and each stage's section as a tree, which the
   * stage's own config binds once the pipeline has filled in the files it makes.
   */
  record Sections(Settings pipeline, Optional<TeacherConfig> teacher, ObjectNode md0, Optional<ObjectNode> mc,
      ObjectNode md1, ObjectNode md2, @ConfigDefault("[]") List<Control> controls) {
    Optional<ObjectNode> section(Stage stage) {
      return switch (stage) {
        case MD0 -> Optional.of(md0);
        case MC -> mc;
        case MD1 -> Optional.of(md1);
        case MD2 -> Optional.of(md2);
      };
    }
  }

  /** The pipeline's own settings, the {@code pipeline} section (every key has a default). */
  public record Settings(@ConfigDefault("30") int depth, @ConfigDefault("1") int md0RandomNegatives,
      @ConfigDefault("1") int md1NegativesFrom, @ConfigDefault("30") int md1NegativesTo,
      @ConfigDefault("0.1") double negativeBelow, @ConfigDefault("0.9") double positiveAbove,
      @ConfigDefault("2000") int pseudoQueries, Optional<Path> unlabeledQueries,
      @ConfigDefault("1.0") double augmentationRatio, @ConfigDefault("base") StageInit stageInit,
      @ConfigDefault("13") long seed) {
    public Settings {
      if (depth < 2 || md0RandomNegatives < 1 || md1NegativesFrom < 1 || md1NegativesTo < md1NegativesFrom
          || md1NegativesTo > depth || pseudoQueries < 0 || !(augmentationRatio >= 0)) {
        throw new IllegalArgumentException("pipeline settings out of range: depth >= 2, md0_random_negatives >= 1, "
            + "1 <= md1_negatives_from <= md1_negatives_to <= depth, pseudo_queries >= 0, augmentation_ratio >= 0; "
            + "found depth=" + depth + ", md0_random_negatives=" + md0RandomNegatives + ", md1_negatives_from="
            + md1NegativesFrom + ", md1_negatives_to=" + md1NegativesTo + ", pseudo_queries=" + pseudoQueries
            + ", augmentation_ratio=" + augmentationRatio);
      }
      new Denoiser.Thresholds(negativeBelow, positiveAbove);   // checks them
    }

    /** The denoising and augmentation thresholds on the cross-encoder's probability. */
    public Denoiser.Thresholds thresholds() {
      return new Denoiser.Thresholds(negativeBelow, positiveAbove);
    }

    /** The same settings with {@code unlabeled_queries} found as every config path is ({@link ConfigPaths}). */
    Settings resolvedAgainst(Path file) {
      if (unlabeledQueries.isEmpty()) {
        return this;
      }
      Path resolved = ConfigPaths.resolve(unlabeledQueries.get(), file);
      if (!java.nio.file.Files.isRegularFile(resolved)) {
        throw new IllegalArgumentException("pipeline.unlabeled_queries: no file " + resolved);
      }
      return new Settings(depth, md0RandomNegatives, md1NegativesFrom, md1NegativesTo, negativeBelow, positiveAbove,
          pseudoQueries, Optional.of(resolved), augmentationRatio, stageInit, seed);
    }
  }

  public static RocketQaConfig load(Path file) {
    return load(file, Overrides.NONE);
  }

  /**
   * Reads the pipeline's YAML file with command-line overrides of its keys ({@code md1.training.epochs=2},
   * {@code pipeline.depth=30}), and checks every stage's section before anything runs.
   */
  public static RocketQaConfig load(Path file, Overrides overrides) {
    JsonNode tree = ConfigBinder.readYaml(file);
    if (tree instanceof ObjectNode root) {
      ConfigBinder.apply(overrides, root, file);
    }
    Sections bound = ConfigBinder.bind(tree, file, Sections.class);
    Settings settings;
    try {
      settings = bound.pipeline().resolvedAgainst(file);
    } catch (IllegalArgumentException e) {
      throw new DataFormatException(file, 0, e.getMessage(), e);
    }
    if (bound.teacher().isPresent() == bound.mc().isPresent()) {
      throw new DataFormatException(file, 0, "give either a teacher section (MC is then that teacher, fitted on "
          + "dev) or an mc section (a cross-encoder trained on MD0's run), "
          + (bound.mc().isPresent() ? "not both" : "found neither"), null);
    }
    Map<Stage, ObjectNode> sections = new java.util.EnumMap<>(Stage.class);
    for (Stage stage : Stage.values()) {
      bound.section(stage).ifPresent(section -> sections.put(stage, section));
    }
    if (bound.controls().size() != new java.util.HashSet<>(bound.controls()).size()) {
      throw new DataFormatException(file, 0, "controls lists a control twice: " + bound.controls(), null);
    }
    RocketQaConfig config = new RocketQaConfig(settings, sections, bound.teacher(), List.copyOf(bound.controls()),
        file, (ObjectNode) tree);
    for (Stage stage : sections.keySet()) {   // every stage's section is checked before anything runs
      ObjectNode probe = config.stageConfig(stage, Path.of("train.jsonl"), Path.of("candidates.trec"));
      Path name = Path.of(file + "#" + stage.dirName());
      if (stage == Stage.MC) {
        ConfigBinder.bind(probe, name, RerankerConfig.class);
      } else {
        TrainConfigLoader.bind(probe, name, Overrides.NONE);
      }
    }
    return config;
  }

  /**
   * What a finished stage was made from: SHA-256 of the {@code pipeline} and {@code teacher} sections and the sections
   * of this stage and the stages before it, as read (after {@code --set} overrides). A stage's manifest records it, so
   * a finished stage is not taken for the result of a changed config.
   */
  public String stageSha256(Stage stage) {
    ObjectNode o = JsonLines.MAPPER.createObjectNode();
    for (String key : List.of("pipeline", "teacher")) {
      if (tree.has(key)) {
        o.set(key, tree.get(key));
      }
    }
    for (Stage s : Stage.values()) {
      if (s.ordinal() <= stage.ordinal() && tree.has(s.dirName())) {
        o.set(s.dirName(), tree.get(s.dirName()));
      }
    }
    return Checksums.sha256(o);
  }

  /** A stage's section with the generated inputs filled in (candidates only matter for MC). */
  public ObjectNode stageConfig(Stage stage, Path train, Path candidates) {
    return stageConfig(stage, train, candidates, Optional.empty());
  }

  /** The same, starting from {@code init}'s weights instead of the section's {@code model.name} when present. */
  private ObjectNode stageConfig(Stage stage, Path train, Path candidates, Optional<Path> init) {
    ObjectNode s = sections.get(stage).deepCopy();
    init.ifPresent(model -> (s.get("model") instanceof ObjectNode m ? m : s.putObject("model"))
        .put("name", model.toAbsolutePath().toString()));
    JsonNode data = s.get("data");
    ObjectNode d = data instanceof ObjectNode o ? o : s.putObject("data");
    if (d.has("train") || d.has("candidates")) {
      throw new DataFormatException(file, 0, stage.dirName() + ".data.train and .candidates are made by the "
          + "pipeline; leave them out");
    }
    d.put("train", train.toAbsolutePath().toString());
    if (stage == Stage.MC) {
      d.put("candidates", candidates.toAbsolutePath().toString());
    }
    return s;
  }

  /**
   * Writes a stage's config file and loads it as a dual-encoder training config; {@code init}, when present, replaces
   * the section's {@code model.name} (see {@link StageInit}).
   */
  public TrainConfig writeTrainConfig(Stage stage, Path train, Path target, Optional<Path> init) {
    AtomicOutput.writeString(target, ConfigBinder.toYaml(stageConfig(stage, train, train, init)));
    return TrainConfigLoader.load(target);
  }

  /** Writes MC's config file and loads it. */
  public RerankerConfig writeRerankerConfig(Path train, Path candidates, Path target) {
    AtomicOutput.writeString(target, ConfigBinder.toYaml(stageConfig(Stage.MC, train, candidates)));
    return RerankerConfig.load(target);
  }
}
