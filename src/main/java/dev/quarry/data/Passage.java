package dev.quarry.data;

import java.util.Objects;

/** A retrievable unit of text: a passage, a paragraph or a document. The title may be empty, never null. */
public record Passage(String id, String title, String text) implements java.io.Serializable {
  public Passage {
    Objects.requireNonNull(id, "id");
    title = title == null ? "" : title;
    Objects.requireNonNull(text, "text");
  }

  /** Title and text joined as BEIR and Anserini's flat collections do: {@code (title + " " + text).strip()}. */
  public String titleAndText() {
    return (title + " " + text).strip();
  }
}
