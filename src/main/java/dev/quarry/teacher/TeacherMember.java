package dev.quarry.teacher;

import dev.quarry.data.Query;
import dev.quarry.data.ScoredDoc;
import java.util.List;

/**
 * One scorer of a teacher: it gives any passage of the corpus a score for a query, and ranks the whole corpus, so
 * its scores can be normalized per query against its own best ones ({@link ZScore}) whatever candidates a caller
 * asks about.
 */
public interface TeacherMember extends AutoCloseable {
  /** The member as its spec names it ({@code bm25}, a bundled model name or a model directory). */
  String name();

  /**
   * What identifies the member's scores in a score cache: for BM25 its parameters, for a dense member its model's
   * files ({@code ModelFingerprint}), so a model directory retrained in place makes another member.
   */
  String fingerprint();

  /**
   * The raw scores of {@code docIds} for {@code query} and the member's own top {@code k} over the corpus.
   *
   * @throws IllegalArgumentException naming a document the corpus does not have
   */
  Scores score(Query query, List<String> docIds, int k);

  /** A member's answer for one query. */
  record Scores(float[] candidates, List<ScoredDoc> top) {
  }

  @Override
  void close();
}
