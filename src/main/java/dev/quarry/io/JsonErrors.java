package dev.quarry.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Turns Jackson's parse errors on a whole-file JSON document into {@link DataFormatException}s: an error at the very
 * end of the input (wherever the file was cut: after a comma, inside a number or a literal) is reported as a
 * truncated file; any other as malformed JSON, with the line.
 */
public final class JsonErrors {
  private JsonErrors() {
  }

  /** Counts the bytes a parser has pulled, so an error's offset can be compared with the input's length. */
  public static final class CountingInput extends FilterInputStream {
    private long count;

    public CountingInput(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count += b < 0 ? 0 : 1;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      count += Math.max(0, n);
      return n;
    }

    /** Reads to the end and returns the total length of the input. */
    long length() {
      try {
        count += in.transferTo(OutputStream.nullOutputStream());
      } catch (IOException ignored) {
        // a stream that fails here is itself cut short; what was counted stands
      }
      return count;
    }
  }

  /** Length of the token an "Unrecognized token 'nul'" error names (it runs from the error's offset), else 0. */
  private static int tokenLength(String message) {
    String prefix = "Unrecognized token '";
    if (message == null || !message.startsWith(prefix)) {
      return 0;
    }
    int end = message.indexOf('\'', prefix.length());
    return end < 0 ? 0 : end - prefix.length();
  }

  public static DataFormatException of(Path file, JsonProcessingException e, CountingInput input) {
    JsonLocation at = e.getLocation();
    long line = at == null ? 0 : Math.max(0, at.getLineNr());
    String message = e.getOriginalMessage();
    long offset = at == null ? -1 : at.getByteOffset();
    boolean atEnd = (message != null && message.contains("end-of-input"))
        || (offset >= 0 && offset + tokenLength(message) >= input.length() - 1);
    return new DataFormatException(file, line, (atEnd ? "truncated file: " : "malformed JSON: ") + message, e);
  }
}
