package dev.quarry.service;

import dev.quarry.api.IndexSpec;
import dev.quarry.api.SearchIndexBuilder;
import dev.quarry.data.BeirFormat;
import dev.quarry.data.Datasets;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.io.Fixtures;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.Pooling;
import dev.quarry.model.TinyModels;
import dev.quarry.util.Progress;
import java.nio.file.Path;
import java.util.List;

/** A three-passage search index with a tiny model, for the service's tests. */
final class ServiceFixtures {
  private ServiceFixtures() {
  }

  /** The tiny model's directory and the index folder built with it, under {@code dir}. */
  record Built(Path model, Path index) {
  }

  static Built index(Path dir) {
    Path data = dir.resolve("data");
    BeirFormat.writeCorpus(data.resolve("corpus.jsonl"), List.of(
        new Passage("otter", "Otters of the river", "Otters live in rivers and eat fish."),
        new Passage("eagle", "Eagles", "Eagles nest on cliffs <high> & far."),
        new Passage("salmon", "Salmon", "Salmon swim upstream to spawn.")));
    BeirFormat.writeQueries(data.resolve("queries.jsonl"), List.of(new Query("q", "otters")));
    Fixtures.write(data.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq\totter\t1\n");
    Path model = TinyModels.create(dir.resolve("model"), new EncoderRecipe(Pooling.MEAN, true, "", "", 32, 32), 1);
    Path index = dir.resolve("index");
    SearchIndexBuilder.build(Datasets.open(data), IndexSpec.of(model.toString()), index, dir.resolve("cache"),
        Progress.NONE);
    return new Built(model, index);
  }
}
