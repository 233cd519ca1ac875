package dev.quarry.condenser;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.io.DataFormatException;
import dev.quarry.io.JsonLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The ids of BERT's special word pieces, read from a WordPiece {@code tokenizer.json}'s vocabulary.
 *
 * @param cls {@code [CLS]}
 * @param sep {@code [SEP]}
 * @param mask {@code [MASK]}
 * @param vocabSize the vocabulary's size
 */
public record SpecialTokens(long cls, long sep, long mask, int vocabSize) {

  /** Reads {@code model.vocab} of a Hugging Face tokenizer file. */
  public static SpecialTokens read(Path tokenizerJson) {
    JsonNode root;
    try {
      root = JsonLines.MAPPER.readTree(tokenizerJson.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + tokenizerJson, e);
    }
    JsonNode vocab = root.path("model").path("vocab");
    if (!vocab.isObject()) {
      throw new DataFormatException(tokenizerJson, "no WordPiece vocabulary (model.vocab): masked-language "
          + "pre-training needs a BERT tokenizer", null);
    }
    return new SpecialTokens(id(vocab, "[CLS]", tokenizerJson), id(vocab, "[SEP]", tokenizerJson),
        id(vocab, "[MASK]", tokenizerJson), vocab.size());
  }

  private static long id(JsonNode vocab, String token, Path file) {
    JsonNode id = vocab.get(token);
    if (id == null || !id.canConvertToLong()) {
      throw new DataFormatException(file, "the vocabulary has no " + token + " token", null);
    }
    return id.longValue();
  }
}
