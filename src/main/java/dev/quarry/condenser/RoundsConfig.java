package dev.quarry.condenser;

import dev.quarry.config.ConfigBinder;
import dev.quarry.config.ConfigDefault;
import dev.quarry.config.ConfigPaths;
import dev.quarry.config.Overrides;
import dev.quarry.io.Checksums;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The config of coCondenser's two fine-tuning rounds ({@link FineTuneRounds}): a DPR training config both rounds use,
 * the pre-trained model both start from, the BM25 negatives of round 1 and the negatives round 2 adds, mined with
 * the round-1 model.
 *
 * <pre>{@code
 * train: scifact-cocondenser-finetune.yaml   # a `quarry train` config; its data.train is replaced by each round's groups
 * model: ../runs/scifact-cocondenser/model    # optional: the start of both rounds (default: train's model.name)
 * bm25: {from: 1, to: 30, negatives: 1}       # round 1: `negatives` sampled from BM25's ranks from..to
 * mined: {depth: 200, from: 3, to: 200, negatives: 7}   # round 2 adds these from the round-1 model's ranks
 * seed: 13
 * }</pre>
 *
 * @param train the DPR config file, relative to this file if not found as given
 * @param model the pre-trained model; empty: the train config's {@code model.name}
 */
public record RoundsConfig(Path train, Optional<String> model, Negatives bm25, Mined mined,
    @ConfigDefault("13") long seed) {

  /** Negatives sampled per query from a run's ranks {@code from..to}. */
  public record Negatives(@ConfigDefault("1") int from, @ConfigDefault("30") int to,
      @ConfigDefault("1") int negatives) {
    public Negatives {
      if (from < 1 || to < from || negatives < 1) {
        throw new IllegalArgumentException("negatives need 1 <= from <= to and negatives >= 1; from=" + from + " to="
            + to + " negatives=" + negatives);
      }
    }
  }

  /** The round-1 model's top {@code depth} for each training query, negatives sampled from ranks from..to. */
  public record Mined(@ConfigDefault("200") int depth, @ConfigDefault("3") int from, @ConfigDefault("200") int to,
      @ConfigDefault("7") int negatives) {
    public Mined {
      if (from < 1 || to < from || negatives < 1 || depth < to) {
        throw new IllegalArgumentException("mined negatives need 1 <= from <= to <= depth and negatives >= 1; depth="
            + depth + " from=" + from + " to=" + to + " negatives=" + negatives);
      }
    }
  }

  public RoundsConfig {
    if (train == null || bm25 == null || mined == null) {
      throw new IllegalArgumentException("train, bm25 and mined are required");
    }
  }

  public static RoundsConfig load(Path file, Overrides overrides) {
    RoundsConfig c = ConfigBinder.read(file, RoundsConfig.class, overrides);
    return new RoundsConfig(ConfigPaths.resolve(c.train(), file), c.model(), c.bm25(), c.mined(), c.seed());
  }

  /** What a stage's work depends on: this config and the train config's content (so edits to either redo stages). */
  public String sha256(String trainConfigText) {
    return Checksums.sha256(ConfigBinder.toJson(this).put("train", "").toString() + "\n" + trainConfigText);
  }
}
