package dev.quarry.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * trec_eval 9.0.x's ranking order: scores compared as 32-bit floats, descending (with C comparisons, so -0.0 and 0.0
 * tie); ties broken by document id descending in code point (byte) order. Sorting a ranking with it before writing
 * makes the ranks in the file the ranks trec_eval evaluates.
 */
public final class TrecOrder {
  /** Best first. */
  public static final Comparator<ScoredDoc> BEST_FIRST = (a, b) -> {
    float sa = (float) a.score();
    float sb = (float) b.score();
    if (sa > sb) {
      return -1;
    }
    if (sa < sb) {
      return 1;
    }
    return compareIds(b.docId(), a.docId());
  };

  private TrecOrder() {
  }

  /** A sorted copy, best first. */
  public static List<ScoredDoc> sorted(Collection<ScoredDoc> docs) {
    List<ScoredDoc> copy = new ArrayList<>(docs);
    copy.sort(BEST_FIRST);
    return copy;
  }

  /** Compares ids by code point, ascending (for UTF-8 text this is byte order, trec_eval's {@code strcmp}). */
  public static int compareIds(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
