package dev.quarry.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/** Small helpers for writing test fixtures into a JUnit temporary folder. */
public final class Fixtures {
  private Fixtures() {
  }

  /** Writes {@code content} as UTF-8 to {@code file}, creating parent folders, and returns the file. */
  public static Path write(Path file, String content) {
    return writeBytes(file, content.getBytes(StandardCharsets.UTF_8));
  }

  public static Path writeBytes(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, bytes);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The gzip compression of {@code content} (UTF-8). */
  public static byte[] gzip(String content) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
        out.write(content.getBytes(StandardCharsets.UTF_8));
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code content} gzipped to {@code file}. */
  public static Path writeGzip(Path file, String content) {
    return writeBytes(file, gzip(content));
  }

  /** The first {@code length} bytes of {@code bytes}. */
  public static byte[] cut(byte[] bytes, int length) {
    return Arrays.copyOf(bytes, length);
  }

  /** Concatenates byte arrays. */
  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Reads a file as UTF-8. */
  public static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
