package dev.quarry.cli;

import dev.quarry.api.IndexManifest;
import dev.quarry.api.IndexSpec;
import dev.quarry.api.SearchIndexBuilder;
import dev.quarry.data.Dataset;
import dev.quarry.data.DatasetFormat;
import dev.quarry.data.Datasets;
import dev.quarry.io.OutputPaths;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "index", mixinStandardHelpOptions = true,
    description = {"Build a search index folder of a dataset's corpus: BM25 with the passages stored, the corpus "
        + "vectors of a dense model and, with --index hnsw, a Lucene HNSW graph; manifest.json last. Killed, the same "
        + "command resumes it. Search it with quarry search or quarry serve."})
final class IndexCommand implements Callable<Integer>, Resumable {
  @Spec
  CommandSpec spec;

  @Option(names = "--dataset", required = true, paramLabel = "DIR",
      description = "Dataset folder (BEIR, MS MARCO, DPR or SQuAD layout); its corpus is indexed.")
  Path dataset;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "Dataset layout, when it should not be recognised: ${COMPLETION-CANDIDATES}.")
  DatasetFormat format;

  @Option(names = "--model", required = true,
      description = "The dense model: a bundled model (all-minilm-l6-v2, bge-small-en-v1.5, e5-small-v2) or a model "
          + "directory.")
  String model;

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "Index folder to build: new or empty, or the folder of the same build to finish.")
  Path output;

  @Mixin
  VectorIndexOptions vectors = new VectorIndexOptions();

  @Mixin
  EncodingOptions encoding = new EncodingOptions();

  @Mixin
  ThreadsOption threads = new ThreadsOption();

  @Override
  public Integer call() {
    OutputPaths.folder(output, "--output");
    IndexSpec indexSpec = new IndexSpec(model, encoding.engine(), vectors.type, vectors.hnsw(), encoding.batchSize());
    Dataset data = Datasets.open(dataset, format);
    IndexManifest m = SearchIndexBuilder.build(data, indexSpec, output, encoding.cacheRoot(),
        new ConsoleProgress(System.err));
    spec.commandLine().getErr().printf(Locale.ROOT, "index: %d passages, BM25 and %s vectors of %s (%d dimensions), "
        + "wrote %s%n", m.documents(), m.spec().vectors().name().toLowerCase(Locale.ROOT), m.modelDir(), m.dimension(),
        output);
    return 0;
  }
}
