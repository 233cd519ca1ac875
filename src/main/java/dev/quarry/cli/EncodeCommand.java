package dev.quarry.cli;

import dev.quarry.data.Dataset;
import dev.quarry.data.Datasets;
import dev.quarry.data.Query;
import dev.quarry.dense.DenseRetriever;
import dev.quarry.dense.ModelFingerprint;
import dev.quarry.dense.VectorEncoding;
import dev.quarry.io.Checksums;
import dev.quarry.io.OutputPaths;
import dev.quarry.model.ModelDirectory;
import dev.quarry.model.TextEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "encode", mixinStandardHelpOptions = true,
    description = {"Encode a dataset's corpus (or, with --queries, a split's queries) into a vectors artifact. "
        + "Run again after a crash, it resumes at the first unfinished shard and ends with the same files."})
final class EncodeCommand implements Callable<Integer>, Resumable {
  @Spec
  CommandSpec spec;

  @Option(names = "--queries", description = "Encode the queries of --split instead of the corpus.")
  boolean queries;

  @Option(names = "--split", paramLabel = "NAME", description = "Split whose queries --queries encodes.")
  String split;

  @Mixin
  CorpusEncodingOptions corpus = new CorpusEncodingOptions();

  @Mixin
  EncodingOptions encoding = new EncodingOptions();

  @Mixin
  ThreadsOption threads = new ThreadsOption();

  @Override
  public Integer call() {
    OutputPaths.folder(corpus.output, "--output");
    int batchSize = encoding.batchSize();
    Flags.positive(corpus.shardSize, "--shard-size");
    Dataset data = Datasets.open(corpus.dataset, corpus.format);
    List<String> ids = new ArrayList<>();
    VectorEncoding.Texts texts;
    String inputSha;
    if (queries) {
      if (split == null) {
        throw new IllegalArgumentException("--queries needs --split");
      }
      data.requireSplit(split);
      List<String> queryTexts = new ArrayList<>();
      StringBuilder all = new StringBuilder();
      for (Query q : data.queries(split)) {
        ids.add(q.id());
        queryTexts.add(q.text());
        all.append(q.id()).append('\t').append(q.text()).append('\n');
      }
      texts = queryTexts::forEach;
      inputSha = Checksums.sha256(all.toString());
    } else {
      ids = DenseRetriever.corpusIds(data);
      texts = DenseRetriever.corpusTexts(data);
      inputSha = data.corpusChecksum();
    }
    Path modelDir = ModelDirectory.resolve(corpus.model, encoding.cacheRoot());
    try (TextEncoder encoder = TextEncoder.load(modelDir, encoding.engine())) {
      TextEncoder.Side side = queries ? TextEncoder.Side.QUERY : TextEncoder.Side.PASSAGE;
      VectorEncoding.Result r = VectorEncoding.encode(encoder, side, ids, texts, corpus.output, batchSize,
          corpus.shardSize, DenseRetriever.producer(modelDir, ModelFingerprint.of(modelDir), encoder, inputSha,
              queries ? "queries" : "passages"), new ConsoleProgress(System.err));
      spec.commandLine().getErr().printf(Locale.ROOT,
          "encode: %d vectors in %s (%d already there), %.1f s, real tokens %.1f%% of padded%n", r.count(),
          corpus.output, r.resumedFrom(), r.seconds(), 100 * r.realTokenFraction());
    }
    return 0;
  }
}
