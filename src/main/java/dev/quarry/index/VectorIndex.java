package dev.quarry.index;

import dev.quarry.data.TrecOrder;

import dev.quarry.data.ScoredDoc;
import dev.quarry.util.Progress;
import java.util.List;

/**
 * Nearest-neighbour search over a fixed set of document vectors, each with a string id.
 *
 * <p>Contract shared by every implementation (and checked by one abstract test suite):
 * <ul>
 *   <li>hits come best first, in trec_eval's order ({@link TrecOrder}): score as a 32-bit float descending, equal
 *       scores by document id descending in code point order, so results are deterministic;</li>
 *   <li>a score is the dot product of the (for {@link Similarity#COSINE}, normalized) query and document vectors,
 *       as a float widened to double;</li>
 *   <li>asking for more hits than the index holds returns all of them;</li>
 *   <li>a query of the wrong dimension, a non-finite value, or {@code k < 1} is an {@link IllegalArgumentException};</li>
 *   <li>the batch search returns one list per query, in query order, equal to searching each query alone.</li>
 * </ul>
 * Implementations are thread-safe for searching. Closing releases files and memory; an index is unusable after.
 */
public interface VectorIndex extends AutoCloseable {
  /** Number of document vectors. */
  int size();

  /** Dimension of every vector. */
  int dimension();

  /** How queries are scored against documents. */
  Similarity similarity();

  /** The {@code k} best documents for one query, best first. */
  List<ScoredDoc> search(float[] query, int k);

  /**
   * The {@code k} best documents for each query, best first, one list per query in the order given. Implementations
   * parallelize over queries and report one progress step per query.
   */
  List<List<ScoredDoc>> search(float[][] queries, int k, Progress progress);

  @Override
  void close();
}
