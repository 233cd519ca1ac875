package dev.quarry.data;

import java.util.Objects;

/** A query (a question, a claim, a keyword query) with its id. */
public record Query(String id, String text) {
  public Query {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(text, "text");
  }
}
