package dev.quarry.teacher;

import dev.quarry.data.Dataset;
import dev.quarry.data.Query;
import dev.quarry.data.ScoredDoc;
import dev.quarry.data.TrecOrder;
import dev.quarry.dense.DenseConfig;
import dev.quarry.dense.DenseRetriever;
import dev.quarry.dense.ModelFingerprint;
import dev.quarry.index.HnswConfig;
import dev.quarry.index.IndexType;
import dev.quarry.model.InferenceEngine;
import dev.quarry.model.ModelDirectory;
import dev.quarry.model.TextEncoder;
import dev.quarry.util.Progress;
import dev.quarry.vectors.VectorReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A dense retriever: the corpus vectors are those {@code quarry dense} caches for the model (encoded on first use,
 * resumable), held in memory; a query is encoded alone and scored against every passage by inner product (the
 * model's own similarity: a cosine when its recipe normalizes). Exact, so its top hits are those of a flat index.
 */
final class DenseMember implements TeacherMember {
  private static final int BATCH = 64;

  private final String name;
  private final String fingerprint;
  private final TextEncoder encoder;
  private final List<String> ids;
  private final float[][] vectors;
  private final Map<String, Integer> rows = new HashMap<>();

  DenseMember(String name, Dataset dataset, Path cacheRoot, Progress progress) {
    this.name = name;
    Path modelDir = ModelDirectory.resolve(name, cacheRoot);
    this.fingerprint = ModelFingerprint.of(modelDir);   // the vector cache's key too: the weights are read once
    this.encoder = TextEncoder.load(modelDir, InferenceEngine.DEFAULT);
    try {
      DenseConfig config = new DenseConfig(name, IndexType.FLAT, HnswConfig.DEFAULTS, 1, BATCH, cacheRoot,
          InferenceEngine.DEFAULT);
      Path dir = DenseRetriever.encodeCorpus(dataset, encoder, modelDir, fingerprint, config, progress).dir();
      try (VectorReader reader = VectorReader.open(dir)) {
        this.ids = reader.ids();
        this.vectors = reader.all();
      }
    } catch (RuntimeException e) {
      encoder.close();
      throw e;
    }
    for (int i = 0; i < ids.size(); i++) {
      rows.put(ids.get(i), i);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String fingerprint() {
    return fingerprint;
  }

  @Override
  public Scores score(Query query, List<String> docIds, int k) {
    float[] q = encoder.encodeQueries(List.of(query.text()), 1, Progress.NONE)[0];
    float[] candidates = new float[docIds.size()];
    for (int i = 0; i < candidates.length; i++) {
      Integer row = rows.get(docIds.get(i));
      if (row == null) {
        throw new IllegalArgumentException("document " + docIds.get(i) + " is not in the corpus vectors of " + name);
      }
      candidates[i] = dot(q, vectors[row]);
    }
    PriorityQueue<ScoredDoc> best = new PriorityQueue<>(TrecOrder.BEST_FIRST.reversed());
    for (int row = 0; row < vectors.length; row++) {
      best.add(new ScoredDoc(ids.get(row), dot(q, vectors[row])));
      if (best.size() > k) {
        best.poll();
      }
    }
    List<ScoredDoc> top = new ArrayList<>(best);
    return new Scores(candidates, TrecOrder.sorted(top));
  }

  private static float dot(float[] a, float[] b) {
    float s = 0;
    for (int i = 0; i < a.length; i++) {
      s = Math.fma(a[i], b[i], s);
    }
    return s;
  }

  @Override
  public void close() {
    encoder.close();
  }
}
