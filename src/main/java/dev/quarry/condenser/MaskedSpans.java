package dev.quarry.condenser;

import java.util.List;

/**
 * One pre-training batch: two masked spans of each sampled document, laid out document after document (rows
 * {@code 2i} and {@code 2i + 1} come from document {@code i}, each other's positive in the contrastive loss).
 *
 * @param inputIds per span, {@code [CLS] tokens [SEP]} after masking
 * @param labels per span, the original id at each masked position and -1 elsewhere (same length as its ids)
 */
public record MaskedSpans(List<long[]> inputIds, List<long[]> labels) {
  /** The label of a position the MLM losses skip. */
  public static final long IGNORED = -1;

  public MaskedSpans {
    if (inputIds.size() != labels.size()) {
      throw new IllegalArgumentException("need a label row per span; " + inputIds.size() + " spans, "
          + labels.size() + " label rows");
    }
    for (int i = 0; i < inputIds.size(); i++) {
      if (inputIds.get(i).length != labels.get(i).length) {
        throw new IllegalArgumentException("span " + i + " has " + inputIds.get(i).length + " ids but "
            + labels.get(i).length + " labels");
      }
    }
  }

  /** The number of masked positions over the batch. */
  public long maskedCount() {
    long n = 0;
    for (long[] row : labels) {
      for (long l : row) {
        if (l != IGNORED) {
          n++;
        }
      }
    }
    return n;
  }

  /** The spans' rows {@code [from, to)}: a chunk of the batch. */
  public MaskedSpans rows(int from, int to) {
    return new MaskedSpans(inputIds.subList(from, to), labels.subList(from, to));
  }
}
