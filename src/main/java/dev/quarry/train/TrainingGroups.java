package dev.quarry.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.JsonLines;
import dev.quarry.mine.DevSplit;
import dev.quarry.mine.TrainGroup;
import dev.quarry.mine.TrainGroupFormat;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A trainer's view of a training groups file: the dev split carved from its queries that are queries of the training
 * split ({@link DevSplit}; groups of other queries, such as augmented ones, are always trained on), an optional
 * seeded sample of the rest, and the groups that can be trained on. A group with fewer mined negatives than a step
 * draws (on SQuAD, when every top-ranked paragraph contains the answer) is left out and counted.
 *
 * @param train the groups to train on
 * @param shortOfNegatives training groups left out for having too few negatives
 * @param devSplit the carve of the file's query ids
 */
public record TrainingGroups(List<TrainGroup> train, int shortOfNegatives, DevSplit devSplit) {

  public static TrainingGroups load(Path file, DevSplitConfig dev, OptionalInt maxTrainQueries, int negativesPerQuery,
      Set<String> splitQueryIds) {
    List<TrainGroup> all = TrainGroupFormat.read(file);
    // Only the split's own (labeled) queries are carved: groups of other queries (RocketQA's augmented pseudo- or
    // unlabeled queries) are always trained on, so adding them never moves a labeled query into or out of dev.
    List<String> labeled = all.stream().map(TrainGroup::queryId).filter(splitQueryIds::contains).toList();
    DevSplit devSplit = DevSplit.carve(labeled, dev.queries(), dev.seed());
    List<String> kept = devSplit.train();
    if (maxTrainQueries.isPresent() && maxTrainQueries.getAsInt() < kept.size()) {
      kept = DevSplit.carve(kept, maxTrainQueries.getAsInt(), dev.seed() + 1).dev();
    }
    Set<String> trainIds = new HashSet<>(kept);
    all.stream().map(TrainGroup::queryId).filter(id -> !splitQueryIds.contains(id)).forEach(trainIds::add);
    List<TrainGroup> selected = all.stream().filter(g -> trainIds.contains(g.queryId())).toList();
    List<TrainGroup> train = selected.stream().filter(g -> g.negatives().size() >= negativesPerQuery).toList();
    return new TrainingGroups(train, selected.size() - train.size(), devSplit);
  }

  /** The dev query ids. */
  public Set<String> devIds() {
    return new HashSet<>(devSplit.dev());
  }

  /** Writes {@code OUT/run.json}: what the run was trained on, for the record. */
  public void writeRunInfo(TrainingJob job, String configSha256, int batchSize, int epochs) {
    Path out = job.out();
    ObjectNode o = JsonLines.MAPPER.createObjectNode();
    o.put("config", job.configFile().toAbsolutePath().toString());
    o.put("config_sha256", configSha256);
    o.put("dataset", job.dataset().root().toAbsolutePath().toString());
    o.put("split", job.split());
    o.put("train_groups", train.size());
    o.put("groups_left_out_short_of_negatives", shortOfNegatives);
    var devIds = o.putArray("dev_queries");
    devSplit.dev().forEach(devIds::add);
    o.put("steps_per_epoch", train.size() / batchSize);
    o.put("total_steps", train.size() / batchSize * epochs);
    AtomicOutput.writeString(out.resolve("run.json"), o.toPrettyString() + "\n");
  }
}
