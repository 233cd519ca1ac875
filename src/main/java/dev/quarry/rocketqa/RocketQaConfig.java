package dev.quarry.rocketqa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.quarry.config.ConfigPaths;
import dev.quarry.config.ConfigSection;
import dev.quarry.config.Overrides;
import dev.quarry.dpr.TrainConfig;
import dev.quarry.dpr.TrainConfigLoader;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.Checksums;
import dev.quarry.io.JsonLines;
import dev.quarry.io.DataFormatException;
import dev.quarry.rerank.RerankerConfig;
import dev.quarry.teacher.TeacherConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 *   md1_negatives_from: 1     # MD1's hard negatives: ranks from..to of the denoised MD0 run
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
    Path file, ObjectNode tree) {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final List<String> ROOT = List.of("pipeline", "teacher", "md0", "mc", "md1", "md2");
  /** The name a teacher member gives MD0's model, which the pipeline trains before it fits the teacher. */
  public static final String MD0_MEMBER = "md0";
  private static final List<String> STAGE = List.of("model", "data", "training", "distillation");
  private static final List<String> SETTINGS = List.of("depth", "md0_random_negatives", "md1_negatives_from",
      "md1_negatives_to", "negative_below", "positive_above", "pseudo_queries", "unlabeled_queries", "augmentation_ratio", "stage_init",
      "seed");

  /** Where MD1 and MD2 start from. */
  public enum StageInit {
    /** Each dual encoder starts from its own section's {@code model.name} (RocketQA trains each from scratch). */
    BASE,
    /** MD1 continues from MD0's model and MD2 from MD1's: less training per stage for the same quality. */
    PREVIOUS
  }

  /** The pipeline's own settings. */
  public record Settings(int depth, int md0RandomNegatives, int md1From, int md1To, Denoiser.Thresholds thresholds,
      int pseudoQueries, Optional<Path> unlabeledQueries, double augmentationRatio, StageInit stageInit, long seed) {
    public Settings {
      if (depth < 2 || md0RandomNegatives < 1 || md1From < 1 || md1To < md1From || md1To > depth
          || pseudoQueries < 0 || !(augmentationRatio >= 0)) {
        throw new IllegalArgumentException("pipeline settings out of range: depth >= 2, md0_random_negatives >= 1, "
            + "1 <= md1_negatives_from <= md1_negatives_to <= depth, pseudo_queries >= 0, augmentation_ratio >= 0; "
            + "found depth=" + depth + ", md0_random_negatives=" + md0RandomNegatives + ", md1_negatives_from="
            + md1From + ", md1_negatives_to=" + md1To + ", pseudo_queries=" + pseudoQueries
            + ", augmentation_ratio=" + augmentationRatio);
      }
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
    ConfigSection root = ConfigSection.readYaml(file, ROOT, overrides);
    ConfigSection p = root.section("pipeline", SETTINGS);
    Settings settings;
    try {
      settings = new Settings(p.optionalInt("depth", 30), p.optionalInt("md0_random_negatives", 1),
          p.optionalInt("md1_negatives_from", 1), p.optionalInt("md1_negatives_to", 30),
          new Denoiser.Thresholds(p.optionalDouble("negative_below", 0.1), p.optionalDouble("positive_above", 0.9)),
          p.optionalInt("pseudo_queries", 2000), unlabeledQueries(p, file), p.optionalDouble("augmentation_ratio", 1.0),
          p.optionalEnum("stage_init", StageInit.class, StageInit.BASE), p.optionalLong("seed", 13));
    } catch (IllegalArgumentException e) {
      throw new DataFormatException(file, 0, e.getMessage(), e);
    }
    ConfigSection teacherSection = root.optionalSection("teacher", TeacherConfig.KEYS);
    Optional<TeacherConfig> teacher = Optional.ofNullable(teacherSection).map(TeacherConfig::parse);
    Map<Stage, ObjectNode> sections = new java.util.EnumMap<>(Stage.class);
    for (Stage stage : Stage.values()) {
      if (stage == Stage.MC && teacher.isPresent()) {
        if (root.has("mc")) {
          throw root.error("give either a teacher section (MC is then that teacher, fitted on dev) or an mc "
              + "section (a cross-encoder trained on MD0's run), not both");
        }
        continue;
      }
      sections.put(stage, (ObjectNode) root.section(stage.dirName(), STAGE).node());
    }
    RocketQaConfig config = new RocketQaConfig(settings, sections, teacher, file, (ObjectNode) root.node());
    for (Stage stage : sections.keySet()) {   // every stage's section is checked before anything runs
      ObjectNode probe = config.stageConfig(stage, Path.of("train.jsonl"), Path.of("candidates.trec"));
      String yaml = toYaml(probe);
      Path name = Path.of(file + "#" + stage.dirName());
      if (stage == Stage.MC) {
        RerankerConfig.parse(yaml, name);
      } else {
        TrainConfigLoader.parse(yaml, name);
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

  /** {@code pipeline.unlabeled_queries}: a file, found as every config path is ({@link ConfigPaths}). */
  private static Optional<Path> unlabeledQueries(ConfigSection p, Path file) {
    if (!p.has("unlabeled_queries")) {
      return Optional.empty();
    }
    Path resolved = ConfigPaths.resolve(Path.of(p.requiredString("unlabeled_queries")), file);
    if (!java.nio.file.Files.isRegularFile(resolved)) {
      throw p.error("pipeline.unlabeled_queries: no file " + resolved);
    }
    return Optional.of(resolved);
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
    AtomicOutput.writeString(target, toYaml(stageConfig(stage, train, train, init)));
    return TrainConfigLoader.load(target);
  }

  /** Writes MC's config file and loads it. */
  public RerankerConfig writeRerankerConfig(Path train, Path candidates, Path target) {
    AtomicOutput.writeString(target, toYaml(stageConfig(Stage.MC, train, candidates)));
    return RerankerConfig.load(target);
  }

  private static String toYaml(ObjectNode node) {
    try {
      return YAML.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
