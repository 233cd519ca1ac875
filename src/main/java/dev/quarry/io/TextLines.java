package dev.quarry.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
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
 * {@code \n} or {@code \r\n}; a lone {@code \r} is part of the line.
 */
public final class TextLines implements AutoCloseable {
  private final Path file;
  private final InputStream in;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final byte[] buffer = new byte[1 << 16];
  private int position;
  private int limit;
  private byte[] line = new byte[256];
  private long lineNumber;
  private boolean eof;

  private TextLines(Path file, InputStream in) {
    this.file = file;
    this.in = in;
  }

  /** Opens {@code file}; a missing file is a {@link DataFormatException} that says so. */
  public static TextLines open(Path file) {
    try {
      InputStream in = Files.newInputStream(file);
      if (file.getFileName().toString().endsWith(".gz")) {
        in = new GZIPInputStream(in, 1 << 16);
      }
      return new TextLines(file, in);
    } catch (NoSuchFileException e) {
      throw new DataFormatException(file, "file not found", e);
    } catch (ZipException e) {
      throw new DataFormatException(file, 1, "corrupt compressed file: " + e.getMessage(), e);
    } catch (EOFException e) {
      throw new DataFormatException(file, 1, "truncated compressed file: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new DataFormatException(file, "cannot open: " + e.getMessage(), e);
    }
  }

  /**
   * The next line without its terminator, or null at the end of the file. Bytes are split on {@code \n} (a
   * preceding {@code \r} is dropped) and each line is decoded on its own, so an error names exactly its line.
   */
  public String next() {
    if (eof) {
      return null;
    }
    int length = 0;
    try {
      while (true) {
        if (position == limit) {
          limit = in.read(buffer);
          position = 0;
          if (limit <= 0) {
            limit = 0;
            eof = true;
            if (length == 0) {
              return null;
            }
            break;
          }
        }
        byte b = buffer[position++];
        if (b == '\n') {
          break;
        }
        if (length == line.length) {
          line = java.util.Arrays.copyOf(line, line.length * 2);
        }
        line[length++] = b;
      }
    } catch (EOFException | ZipException e) {
      throw new DataFormatException(file, lineNumber + 1, "truncated or corrupt compressed file: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file + " at line " + (lineNumber + 1), e);
    }
    lineNumber++;
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    int offset = 0;
    if (lineNumber == 1 && length >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB && line[2] == (byte) 0xBF) {
      offset = 3;   // byte order mark
    }
    try {
      return decoder.decode(ByteBuffer.wrap(line, offset, length - offset)).toString();
    } catch (CharacterCodingException e) {
      throw new DataFormatException(file, lineNumber, "invalid UTF-8", e);
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
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
