package dev.quarry.condenser;

import dev.quarry.data.DatasetFormat;

/**
 * What a document is for coCondenser's span pairs ({@code condenser.documents}): the two spans of a training item,
 * positives for each other in the contrastive loss, come from one document.
 */
public enum SpanDocuments {
  /** Each corpus entry is a document (BEIR, MS MARCO: a passage is the whole text). */
  PASSAGE,
  /**
   * Passages with the same title are one document (SQuAD's paragraphs of an article, DPR's 100-word Wikipedia
   * passages): a span pair may come from two passages of the article. Passages without a title stay alone.
   */
  TITLE,
  /** {@link #TITLE} for the layouts that cut articles into passages (SQuAD, DPR), else {@link #PASSAGE}. */
  AUTO;

  /** What this means for a dataset of {@code format}. */
  public SpanDocuments resolve(DatasetFormat format) {
    if (this != AUTO) {
      return this;
    }
    return format == DatasetFormat.SQUAD || format == DatasetFormat.DPR ? TITLE : PASSAGE;
  }

  /** Jackson's filter that leaves the default out of a config's JSON, so configs written before the key hash alike. */
  static final class AutoFilter {
    @Override
    public boolean equals(Object other) {
      return other == AUTO;
    }

    @Override
    public int hashCode() {
      return 0;
    }
  }
}
