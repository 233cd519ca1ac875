package dev.quarry.config;

/** Formatting of values in configuration error messages, as a YAML file would spell them. */
public final class ConfigValues {
  private ConfigValues() {
  }

  /** {@code -1} rather than {@code -1.0}; other doubles as Java prints them. */
  public static String show(double value) {
    if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }
}
