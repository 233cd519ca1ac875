package dev.quarry.util;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version Maven built (its {@code <version>}, filtered into {@code quarry-version.properties}). */
public final class QuarryVersion {
  private static final String RESOURCE = "/quarry-version.properties";

  private QuarryVersion() {
  }

  /** The build's version, such as {@code 0.1.0-SNAPSHOT}. */
  public static String get() {
    try (InputStream in = QuarryVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath: build Quarry with Maven");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
