package dev.quarry.io;

import java.nio.file.Path;

/**
 * Bad input: a malformed record, a missing field, a duplicate or unknown id, invalid UTF-8 or a truncated file.
 * The message always names the file and, where there is one, the 1-based line: {@code corpus.jsonl:12: missing field "_id"}.
 */
public final class DataFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long line;

  public DataFormatException(Path file, long line, String problem) {
    this(file, line, problem, null);
  }

  public DataFormatException(Path file, long line, String problem, Throwable cause) {
    super(location(file, line) + ": " + problem, cause);
    this.file = file;
    this.line = line;
  }

  /** Bad input that is not tied to one line (a missing file, a truncated archive). */
  public DataFormatException(Path file, String problem, Throwable cause) {
    this(file, 0, problem, cause);
  }

  private static String location(Path file, long line) {
    return line > 0 ? file + ":" + line : String.valueOf(file);
  }

  /** The file at fault. */
  public Path file() {
    return file;
  }

  /** The 1-based line at fault, or 0 when the problem is not tied to one line. */
  public long line() {
    return line;
  }
}
