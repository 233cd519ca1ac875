package dev.quarry.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code -V}: the version Maven built (its {@code <version>}, filtered into {@code quarry-version.properties}). */
final class BuildVersion implements IVersionProvider {
  private static final String RESOURCE = "/quarry-version.properties";

  /** The build's version, such as {@code 0.1.0-SNAPSHOT}. */
  static String version() {
    try (InputStream in = BuildVersion.class.getResourceAsStream(RESOURCE)) {
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

  @Override
  public String[] getVersion() {
    return new String[] {"Quarry " + version(), "Java " + Runtime.version() + " (" + System.getProperty("java.vendor")
        + ")"};
  }
}
