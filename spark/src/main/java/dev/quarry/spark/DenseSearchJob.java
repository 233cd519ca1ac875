package dev.quarry.spark;

import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import dev.quarry.data.TrecOrder;
import dev.quarry.index.FlatVectorIndex;
import dev.quarry.index.Similarity;
import dev.quarry.util.Progress;
import dev.quarry.vectors.VectorReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Exact dense search of a corpus vectors artifact by Spark tasks, each over a part of the rows: the query vectors are
 * broadcast, each task keeps every query's top k of its part ({@link FlatVectorIndex#mapped(VectorReader, int, int,
 * Similarity, int)}, the kernel {@code quarry dense --index flat} uses), and the parts are merged pairwise on the
 * workers ({@code treeReduce}) into each query's top k by score and {@link TrecOrder}. A row scores the same in any
 * part and ties are broken by id, so the run equals the single-node one (RocketQA's merge of 8 corpus parts, done by
 * Spark). The driver holds only the queries and one merged top k per query.
 */
public final class DenseSearchJob {
  private DenseSearchJob() {
  }

  /**
   * The top {@code k} of each query vector ({@code queryIds[i]} is row {@code i}) in the artifact at {@code vectors},
   * searched in {@code parts} parts; the artifact's checksums are verified once, here.
   */
  public static Run run(JavaSparkContext spark, Path vectors, List<String> queryIds, float[][] queries, int k,
      int parts, String tag) {
    if (queryIds.size() != queries.length) {
      throw new IllegalArgumentException(queryIds.size() + " query ids but " + queries.length + " query vectors");
    }
    int count;
    try (VectorReader reader = VectorReader.open(vectors)) {
      count = reader.count();
      if (queries.length > 0 && queries[0].length != reader.dimension()) {
        throw new IllegalArgumentException("the query vectors have " + queries[0].length + " dimensions but the "
            + "corpus vectors in " + vectors + " have " + reader.dimension());
      }
    }
    List<int[]> ranges = ranges(count, parts);
    String dir = vectors.toAbsolutePath().toString();
    Broadcast<float[][]> shared = spark.broadcast(queries);
    try {
      List<List<ScoredDoc>> hits = TaskFailures.unwrapped(() -> spark.parallelize(ranges, ranges.size())
          .map(range -> searchPart(dir, range, shared.value(), k))
          .treeReduce((a, b) -> merge(a, b, k)));
      Run.Builder run = Run.builder(tag);
      for (int q = 0; q < queryIds.size(); q++) {
        run.put(queryIds.get(q), hits.get(q));
      }
      return run.build();
    } finally {
      shared.destroy();
    }
  }

  /** {@code [0, count)} cut into {@code parts} ranges of near-equal size (fewer when there are fewer rows). */
  static List<int[]> ranges(int count, int parts) {
    if (parts <= 0) {
      throw new IllegalArgumentException("parts must be positive; parts=" + parts);
    }
    int n = Math.max(1, Math.min(parts, count));
    List<int[]> ranges = new ArrayList<>(n);
    for (int p = 0; p < n; p++) {
      ranges.add(new int[] {(int) ((long) count * p / n), (int) ((long) count * (p + 1) / n)});
    }
    return ranges;
  }

  /** One task: every query's top k among rows {@code range[0]..range[1]-1}. */
  static List<List<ScoredDoc>> searchPart(String dir, int[] range, float[][] queries, int k) {
    try (VectorReader reader = VectorReader.open(Path.of(dir), VectorReader.Verification.STRUCTURE);
        FlatVectorIndex index = FlatVectorIndex.mapped(reader, range[0], range[1], Similarity.DOT_PRODUCT, 1)) {
      return new ArrayList<>(index.search(queries, k, Progress.NONE));
    }
  }

  /** Each query's top k of two parts' top k lists: the top k of their union, best first in trec_eval's order. */
  static List<List<ScoredDoc>> merge(List<List<ScoredDoc>> a, List<List<ScoredDoc>> b, int k) {
    List<List<ScoredDoc>> out = new ArrayList<>(a.size());
    for (int q = 0; q < a.size(); q++) {
      List<ScoredDoc> both = new ArrayList<>(a.get(q).size() + b.get(q).size());
      both.addAll(a.get(q));
      both.addAll(b.get(q));
      List<ScoredDoc> sorted = TrecOrder.sorted(both);
      out.add(new ArrayList<>(sorted.subList(0, Math.min(k, sorted.size()))));
    }
    return out;
  }
}
