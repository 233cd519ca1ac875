package dev.quarry.bm25;

/**
 * BM25 settings. Defaults are Anserini's ({@code -bm25}: k1 0.9, b 0.4, title and text in one field).
 *
 * @param k1 term-frequency saturation, positive
 * @param b length normalization, in [0, 1]
 * @param fields {@link FieldMode#FLAT} (title and text in one field) or {@link FieldMode#MULTIFIELD}
 */
public record Bm25Config(float k1, float b, FieldMode fields) {
  public static final Bm25Config ANSERINI_FLAT = new Bm25Config(0.9f, 0.4f, FieldMode.FLAT);

  public Bm25Config {
    if (!(k1 > 0) || Float.isInfinite(k1)) {
      throw new IllegalArgumentException("k1 must be positive and finite; k1=" + k1);
    }
    if (!(b >= 0 && b <= 1)) {
      throw new IllegalArgumentException("b must be in [0, 1]; b=" + b);
    }
    if (fields == null) {
      throw new IllegalArgumentException("fields must be FLAT or MULTIFIELD");
    }
  }

  /** How a passage's title and text are indexed. */
  public enum FieldMode {
    /** One field holding title, a newline, and text (Anserini's BeirFlatCollection). */
    FLAT,
    /** Text and title in two fields, each searched with weight 1 and the scores summed (BeirMultifieldCollection). */
    MULTIFIELD
  }
}
