package dev.quarry.io;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a text file line by line, strictly: bytes must be valid UTF-8 (a byte order mark is skipped), {@code .gz}
 * files are decompressed, and every failure names the file and the line it happened on. Lines end with
 * {@code \n} or {@code \r\n}.
 */
public final class TextLines implements AutoCloseable {
  private final Path file;
  private final BufferedReader reader;
  private long lineNumber;

  private TextLines(Path file, BufferedReader reader) {
    this.file = file;
    this.reader = reader;
  }

  /** Opens {@code file}; a missing file is a {@link DataFormatException} that says so. */
  public static TextLines open(Path file) {
    try {
      InputStream in = Files.newInputStream(file);
      if (file.getFileName().toString().endsWith(".gz")) {
        in = new GZIPInputStream(in, 1 << 16);
      }
      var decoder = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
      return new TextLines(file, new BufferedReader(new InputStreamReader(in, decoder), 1 << 16));
    } catch (NoSuchFileException e) {
      throw new DataFormatException(file, "file not found", e);
    } catch (IOException e) {
      throw new DataFormatException(file, "cannot open: " + e.getMessage(), e);
    }
  }

  /** The next line without its terminator, or null at the end of the file. */
  public String next() {
    try {
      String line = reader.readLine();
      if (line == null) {
        return null;
      }
      lineNumber++;
      if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
        line = line.substring(1);
      }
      return line;
    } catch (CharacterCodingException e) {
      throw new DataFormatException(file, lineNumber + 1, "invalid UTF-8", e);
    } catch (EOFException | ZipException e) {
      throw new DataFormatException(file, lineNumber + 1, "truncated or corrupt compressed file: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file + " at line " + (lineNumber + 1), e);
    }
  }

  /** The 1-based number of the line last returned by {@link #next()}. */
  public long lineNumber() {
    return lineNumber;
  }

  public Path file() {
    return file;
  }

  /** A {@link DataFormatException} at the current line. */
  public DataFormatException error(String problem) {
    return new DataFormatException(file, lineNumber, problem);
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
