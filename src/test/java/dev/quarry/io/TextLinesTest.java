package dev.quarry.io;

import static dev.quarry.io.Fixtures.concat;
import static dev.quarry.io.Fixtures.cut;
import static dev.quarry.io.Fixtures.gzip;
import static dev.quarry.io.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextLinesTest {
  @TempDir
  Path dir;

  private static List<String> readAll(Path file) {
    List<String> out = new ArrayList<>();
    try (TextLines lines = TextLines.open(file)) {
      for (String line; (line = lines.next()) != null; ) {
        out.add(line);
        assertThat(lines.lineNumber()).isEqualTo(out.size());
      }
    }
    return out;
  }

  @Test
  void readsLinesEndingInLfOrCrLfAndSkipsALeadingByteOrderMark() {
    Path file = Fixtures.write(dir.resolve("a.txt"), "\uFEFFfirst\r\nsecond\n\nfourth é\n");
    assertThat(readAll(file)).containsExactly("first", "second", "", "fourth é");
  }

  @Test
  void keepsAByteOrderMarkCharacterThatIsNotAtTheStart() {
    Path file = Fixtures.write(dir.resolve("a.txt"), "x\n\uFEFFy\n");
    assertThat(readAll(file)).containsExactly("x", "\uFEFFy");
  }

  @Test
  void lastLineNeedsNoTerminator() {
    Path file = Fixtures.write(dir.resolve("a.txt"), "one\ntwo");
    assertThat(readAll(file)).containsExactly("one", "two");
  }

  @Test
  void decompressesGzFiles() {
    Path file = Fixtures.writeGzip(dir.resolve("a.txt.gz"), "α\nβ\r\nγ\n");
    assertThat(readAll(file)).containsExactly("α", "β", "γ");
  }

  @Test
  void doesNotDecompressFilesWithoutGzSuffix() {
    Path file = Fixtures.write(dir.resolve("a.gzip.txt"), "plain\n");
    assertThat(readAll(file)).containsExactly("plain");
  }

  @Test
  void gzSuffixOnAPlainFileIsADataFormatException() {
    Path file = Fixtures.write(dir.resolve("plain.tsv.gz"), "not gzip at all\n");
    assertThatThrownBy(() -> readAll(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("plain.tsv.gz")
        .hasMessageContaining("corrupt compressed file: Not in GZIP format");
  }

  @Test
  void missingFileIsADataFormatExceptionSayingFileNotFound() {
    Path file = dir.resolve("nope.jsonl");
    assertThatThrownBy(() -> TextLines.open(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("nope.jsonl")
        .hasMessageContaining("file not found");
  }

  @Test
  void errorNamesFileAndCurrentLine() {
    Path file = Fixtures.write(dir.resolve("x.tsv"), "a\nb\nc\n");
    try (TextLines lines = TextLines.open(file)) {
      lines.next();
      lines.next();
      DataFormatException e = lines.error("boom");
      assertThat(e.getMessage()).isEqualTo(file + ":2: boom");
      assertThat(e.line()).isEqualTo(2);
      assertThat(e.file()).isEqualTo(file);
    }
  }

  @Test
  void invalidUtf8OnTheFirstLineIsReportedAtLine1() {
    Path file = Fixtures.writeBytes(dir.resolve("bad.txt"), concat(new byte[] {(byte) 0xC3, 0x28}, utf8("\nok\n")));
    assertThatThrownBy(() -> readAll(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("bad.txt:1:")
        .hasMessageContaining("invalid UTF-8");
  }

  @Test
  void invalidUtf8OnLine2IsReportedAtLine2() {
    Path file = Fixtures.writeBytes(dir.resolve("bad.txt"),
        concat(utf8("ok\n"), new byte[] {(byte) 0xC3, 0x28}, utf8("\nthird\n")));
    List<String> seen = new ArrayList<>();
    DataFormatException e = catchThrowableOfType(DataFormatException.class, () -> {
      try (TextLines lines = TextLines.open(file)) {
        for (String line; (line = lines.next()) != null; ) {
          seen.add(line);
        }
      }
    });
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("bad.txt:2:").contains("invalid UTF-8");
    assertThat(e.line()).isEqualTo(2);
    assertThat(seen).containsExactly("ok");
  }

  @Test
  void invalidUtf8DeepInAFileIsReportedAtItsLine() {
    StringBuilder good = new StringBuilder();
    for (int i = 1; i < 1000; i++) {
      good.append("line number ").append(i).append('\n');
    }
    Path file = Fixtures.writeBytes(dir.resolve("deep.txt"),
        concat(utf8(good.toString()), new byte[] {'x', (byte) 0xFF, 'y', '\n'}, utf8("after\n")));
    assertThatThrownBy(() -> readAll(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("deep.txt:1000:");
  }

  @Test
  void gzipWithItsLastBytesCutIsATruncationError() {
    byte[] whole = gzip("one\ntwo\nthree\n");
    Path file = Fixtures.writeBytes(dir.resolve("cut.txt.gz"), cut(whole, whole.length - 4));
    assertThatThrownBy(() -> readAll(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("cut.txt.gz:")
        .hasMessageContaining("truncated");
  }

  @Test
  void gzipCutInsideItsCompressedDataIsATruncationError() {
    byte[] whole = gzip(numberedLines(5000));
    Path file = Fixtures.writeBytes(dir.resolve("cut.txt.gz"), cut(whole, whole.length / 2));
    DataFormatException e = catchThrowableOfType(DataFormatException.class, () -> readAll(file));
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("cut.txt.gz:").contains("truncated");
    assertThat(e.line()).isGreaterThan(1);
  }

  @Test
  void gzipCutInsideItsCompressedDataIsReportedAtTheLineWhereTheDataEnds() throws IOException {
    byte[] whole = gzip(numberedLines(5000));
    byte[] truncated = cut(whole, whole.length / 2);
    Path file = Fixtures.writeBytes(dir.resolve("cut.txt.gz"), truncated);
    long complete = completeLinesBeforeEof(truncated);
    List<String> seen = new ArrayList<>();
    DataFormatException e = catchThrowableOfType(DataFormatException.class, () -> {
      try (TextLines lines = TextLines.open(file)) {
        for (String line; (line = lines.next()) != null; ) {
          seen.add(line);
        }
      }
    });
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("cut.txt.gz:" + (complete + 1) + ":");
    assertThat((long) seen.size()).as("complete lines returned before the error").isEqualTo(complete);
  }

  @Test
  void aLoneCarriageReturnDoesNotEndALine() {
    Path file = Fixtures.write(dir.resolve("cr.txt"), "a\rb\nc\n");
    assertThat(readAll(file)).containsExactly("a\rb", "c");
  }

  static String numberedLines(int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      s.append("line ").append(i).append(" of the file ").append(Integer.toHexString(i * 0x9E3779B1))
          .append('\n');
    }
    return s.toString();
  }

  /** Lines fully present in what can be decompressed of a truncated gzip. */
  private static long completeLinesBeforeEof(byte[] truncated) throws IOException {
    long newlines = 0;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(truncated))) {
      for (int b; (b = in.read()) >= 0; ) {
        if (b == '\n') {
          newlines++;
        }
      }
    } catch (EOFException expected) {
      // the data ends here
    }
    return newlines;
  }
}
