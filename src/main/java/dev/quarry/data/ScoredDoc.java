package dev.quarry.data;

import java.util.Objects;

/** One retrieved document of a ranking, with the score the retriever gave it. */
public record ScoredDoc(String docId, double score) implements java.io.Serializable {
  public ScoredDoc {
    Objects.requireNonNull(docId, "docId");
  }
}
