package dev.quarry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.JsonLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs {@code scripts/bert_reference.py}, the independent NumPy forward pass written from the Hugging Face BERT and
 * RoBERTa definitions (it needs {@code python3} with {@code numpy}), on a model directory.
 */
public final class BertReference {
  private BertReference() {
  }

  /** The pooled embedding of each token-id row, as the directory's sentence-transformers files say to pool. */
  public static JsonNode embeddings(Path modelDir, List<long[]> ids, Path scratch) {
    ObjectNode input = JsonLines.MAPPER.createObjectNode();
    rows(input.putArray("ids"), ids);
    return run(modelDir, input, scratch).get("embeddings");
  }

  /** A cross-encoder's logit of each pair (token ids and segment ids per pair). */
  public static JsonNode logits(Path modelDir, List<long[]> ids, List<long[]> types, Path scratch) {
    ObjectNode input = JsonLines.MAPPER.createObjectNode();
    rows(input.putArray("ids"), ids);
    rows(input.putArray("types"), types);
    return run(modelDir, input, scratch).get("logits");
  }

  private static void rows(ArrayNode out, List<long[]> rows) {
    for (long[] row : rows) {
      ArrayNode r = out.addArray();
      for (long v : row) {
        r.add(v);
      }
    }
  }

  private static JsonNode run(Path modelDir, ObjectNode input, Path scratch) {
    try {
      Files.createDirectories(scratch);
      Path in = Files.createTempFile(scratch, "reference-in", ".json");
      Path out = Files.createTempFile(scratch, "reference-out", ".json");
      Files.writeString(in, input.toString());
      Process p = new ProcessBuilder("python3", Path.of("scripts/bert_reference.py").toAbsolutePath().toString(),
          modelDir.toString(), in.toString(), out.toString()).redirectErrorStream(true).start();
      String log = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor()).as("python3 scripts/bert_reference.py (needs python3 with numpy: apt-get install "
          + "python3-numpy): %s", log).isZero();
      return JsonLines.MAPPER.readTree(out.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
