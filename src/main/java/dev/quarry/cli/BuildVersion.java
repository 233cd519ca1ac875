package dev.quarry.cli;

import dev.quarry.util.QuarryVersion;
import picocli.CommandLine.IVersionProvider;

/** {@code -V}: the version Maven built ({@link QuarryVersion}) and the Java running it. */
final class BuildVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"Quarry " + QuarryVersion.get(), "Java " + Runtime.version() + " ("
        + System.getProperty("java.vendor") + ")"};
  }
}
