package dev.quarry.api;

import dev.quarry.data.Datasets;
import dev.quarry.model.InferenceEngine;
import dev.quarry.model.ModelDirectory;
import dev.quarry.util.Progress;
import dev.quarry.util.QuarryPaths;
import java.nio.file.Path;

/**
 * Quarry from Java: load an encoder, build or open a search index, search it, rerank. Models are bundled names
 * ({@code all-minilm-l6-v2}, {@code bge-small-en-v1.5}, {@code e5-small-v2}) or model directories; imported models
 * are cached under {@code $QUARRY_CACHE} ({@code ~/.cache/quarry}). Everything returned is {@link AutoCloseable} and
 * thread-safe.
 *
 * <pre>{@code
 * try (SearchIndex index = Quarry.openIndex(Path.of("scifact-index"))) {
 *   for (Hit hit : index.search("vitamin D and bone density", SearchMode.HYBRID, 10)) {
 *     System.out.println(hit.rank() + " " + hit.id() + " " + hit.title());
 *   }
 * }
 * }</pre>
 *
 * The command line ({@code quarry index}, {@code search}, {@code serve}) calls these same classes.
 */
public final class Quarry {
  private Quarry() {
  }

  /** A dense encoder on the default inference engine. */
  public static Encoder encoder(String model) {
    return Encoder.load(ModelDirectory.resolve(model, QuarryPaths.cacheRoot()), InferenceEngine.DEFAULT);
  }

  /** A trained cross-encoder ({@code quarry train-reranker}'s {@code OUT/model}). */
  public static PassageReranker reranker(Path dir) {
    return PassageReranker.load(dir, InferenceEngine.DEFAULT);
  }

  /** Opens a search index folder ({@code quarry index}). */
  public static SearchIndex openIndex(Path dir) {
    return SearchIndex.open(dir);
  }

  /**
   * Builds a search index of a dataset's corpus (a BEIR, MS MARCO, SQuAD or DPR folder) with {@code model} into
   * {@code out} (new or empty, or a build of the same to finish), exact dense search, and opens it.
   */
  public static SearchIndex buildIndex(Path dataset, String model, Path out) {
    SearchIndexBuilder.build(Datasets.open(dataset), IndexSpec.of(model), out, QuarryPaths.cacheRoot(), Progress.NONE);
    return SearchIndex.open(out);
  }
}
