package dev.quarry.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DataFormatExceptionTest {
  @Test
  void messageIsFileColonLineColonProblem() {
    DataFormatException e = new DataFormatException(Path.of("corpus.jsonl"), 12, "missing field \"_id\"");
    assertThat(e).hasMessage("corpus.jsonl:12: missing field \"_id\"");
    assertThat(e.line()).isEqualTo(12);
    assertThat(e.file()).isEqualTo(Path.of("corpus.jsonl"));
  }

  @Test
  void withoutALineTheMessageNamesOnlyTheFile() {
    Throwable cause = new RuntimeException("x");
    DataFormatException e = new DataFormatException(Path.of("d", "qrels.tsv"), "file not found", cause);
    assertThat(e).hasMessage(Path.of("d", "qrels.tsv") + ": file not found").hasCause(cause);
    assertThat(e.line()).isZero();
  }
}
