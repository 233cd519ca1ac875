package dev.quarry.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.JsonLines;
import dev.quarry.random.TrainingSeeds;

/**
 * Where a training run stands, as a checkpoint records it: with the weights and the optimizer state, these values
 * are everything needed to continue exactly. Randomness is not stored as generator internals: every random choice
 * derives from {@code (seed, purpose, epoch, step)} ({@link TrainingSeeds}), so the seed, the counters and the name
 * of the derivation scheme suffice.
 *
 * @param step completed optimizer steps; 0 or more
 * @param epoch the 0-based epoch in progress (the epoch of the next step)
 * @param positionInEpoch training items of the epoch's data order consumed so far; 0 or more
 * @param dataOrderSeed the seed of the epoch's data order ({@link TrainingSeeds#dataOrderSeed(int)})
 * @param seed the run's seed ({@code training.seed})
 * @param rngScheme the seed derivation in use ({@link TrainingSeeds#SCHEME})
 * @param configSha256 the sha256 of the run's config
 */
public record TrainerState(long step, int epoch, int positionInEpoch, long dataOrderSeed, long seed,
    String rngScheme, String configSha256) {

  public TrainerState {
    if (step < 0) {
      throw new IllegalArgumentException("step must not be negative; step=" + step);
    }
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must not be negative; epoch=" + epoch);
    }
    if (positionInEpoch < 0) {
      throw new IllegalArgumentException("positionInEpoch must not be negative; positionInEpoch="
          + positionInEpoch);
    }
    if (rngScheme == null || rngScheme.isEmpty()) {
      throw new IllegalArgumentException("rngScheme must be named");
    }
    if (configSha256 == null || configSha256.isEmpty()) {
      throw new IllegalArgumentException("configSha256 must be given");
    }
  }

  /** The state of a run with the current seed derivation whose config hashes to {@code configSha256}. */
  public static TrainerState of(long step, int epoch, int positionInEpoch, TrainingSeeds seeds, String configSha256) {
    return new TrainerState(step, epoch, positionInEpoch, seeds.dataOrderSeed(epoch), seeds.seed(),
        TrainingSeeds.SCHEME, configSha256);
  }

  /** Throws unless this state was saved under a config hashing to {@code sha256} and the current derivation. */
  public void requireCompatible(String sha256) {
    if (!configSha256.equals(sha256)) {
      throw new IllegalStateException("the checkpoint was made with another config (sha256 " + configSha256
          + ", this config " + sha256 + "); resume with the config it was made with");
    }
    if (!rngScheme.equals(TrainingSeeds.SCHEME)) {
      throw new IllegalStateException("the checkpoint derives its randomness by " + rngScheme + ", this Quarry by "
          + TrainingSeeds.SCHEME + "; it cannot be resumed exactly");
    }
  }

  ObjectNode toJson() {
    ObjectNode o = JsonLines.MAPPER.createObjectNode();
    o.put("format", 1);
    o.put("step", step);
    o.put("epoch", epoch);
    o.put("position_in_epoch", positionInEpoch);
    o.put("data_order_seed", dataOrderSeed);
    ObjectNode rng = o.putObject("rng");
    rng.put("scheme", rngScheme);
    rng.put("seed", seed);
    o.put("config_sha256", configSha256);
    return o;
  }

  static TrainerState fromJson(JsonNode o, String source) {
    if (o.path("format").asInt(-1) != 1) {
      throw new IllegalArgumentException(source + ": unknown trainer state format " + o.path("format"));
    }
    return new TrainerState(requireLong(o, "step", source), requireInt(o, "epoch", source),
        requireInt(o, "position_in_epoch", source), requireLong(o, "data_order_seed", source),
        requireLong(o.path("rng"), "seed", source), requireText(o.path("rng"), "scheme", source),
        requireText(o, "config_sha256", source));
  }

  private static long requireLong(JsonNode o, String field, String source) {
    JsonNode v = o.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new IllegalArgumentException(source + ": missing or non-integer field \"" + field + "\"");
    }
    return v.longValue();
  }

  private static int requireInt(JsonNode o, String field, String source) {
    JsonNode v = o.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new IllegalArgumentException(source + ": missing or non-integer field \"" + field + "\"");
    }
    return v.intValue();
  }

  private static String requireText(JsonNode o, String field, String source) {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException(source + ": missing or non-string field \"" + field + "\"");
    }
    return v.asText();
  }
}
