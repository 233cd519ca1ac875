package dev.quarry.teacher;

import dev.quarry.config.ConfigBinder;
import dev.quarry.config.ConfigDefault;
import dev.quarry.config.Overrides;
import dev.quarry.train.DevSplitConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A fusion teacher's settings, the {@code teacher:} section of a config.
 *
 * <pre>
 * teacher:
 *   members: [bm25, all-minilm-l6-v2, bge-small-en-v1.5]   # bm25, bundled model names or model directories
 *   normalization_depth: 100   # each member's scores are z-scored against its own top 100 for the query
 *   pool_depth: 100            # the dev pairs: the union of every member's top 100 for each dev query
 *   weight_step: 0.1           # fusion weights: every non-negative combination in steps of 0.1 summing to 1
 *   dev: {queries: 100, seed: 13}   # the dev queries carved from the training split (the trainers' rule)
 * </pre>
 *
 * The weights with the best dev nDCG@10 are kept (on a tie, those nearest equal weights); the calibration is fitted on the
 * same dev pairs.
 */
public record TeacherConfig(List<String> members, @ConfigDefault("100") int normalizationDepth,
    @ConfigDefault("100") int poolDepth, @ConfigDefault("0.1") double weightStep, DevSplitConfig dev) {
  /** A file whose one section is {@code teacher} ({@code bin/quarry teacher --config}). */
  public record File(TeacherConfig teacher) {
  }

  public TeacherConfig {
    members = List.copyOf(members);   // a list of strings: the binder checked each
    if (members.isEmpty() || members.size() != members.stream().distinct().count()) {
      throw new IllegalArgumentException("teacher.members must name at least one member, each once; found "
          + members);
    }
    if (normalizationDepth < 2 || poolDepth < 1) {
      throw new IllegalArgumentException("teacher.normalization_depth must be at least 2 and teacher.pool_depth at "
          + "least 1; found " + normalizationDepth + " and " + poolDepth);
    }
    double steps = 1 / weightStep;
    if (!(weightStep > 0 && weightStep <= 1) || Math.abs(steps - Math.round(steps)) > 1e-9) {
      throw new IllegalArgumentException("teacher.weight_step must divide 1 (0.1, 0.05, 0.25, ...); found "
          + weightStep);
    }
    if (dev.queries() < 1) {
      throw new IllegalArgumentException("a teacher is fitted on dev queries: teacher.dev.queries must be at least 1");
    }
  }

  /** Reads a config file whose one section is {@code teacher}, with command-line overrides of its keys. */
  public static TeacherConfig load(Path file, Overrides overrides) {
    return ConfigBinder.read(file, File.class, overrides).teacher();
  }

  /** The same settings with each member name passed through {@code rename} (the pipeline's {@code md0}). */
  public TeacherConfig withMembers(UnaryOperator<String> rename) {
    return new TeacherConfig(members.stream().map(rename).toList(), normalizationDepth, poolDepth, weightStep, dev);
  }
}
