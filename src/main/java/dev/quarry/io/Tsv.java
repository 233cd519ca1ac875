package dev.quarry.io;

import java.util.ArrayList;
import java.util.List;

/**
 * Splitting of tab-separated lines. {@link #split} is plain (a tab always separates); {@link #splitQuoted} follows
 * Python's {@code csv} reader with {@code delimiter="\t"}, as DPR's passage files need: a field that starts with a
 * double quote runs to the closing quote, and {@code ""} inside it is one quote.
 */
public final class Tsv {
  private Tsv() {
  }

  public static String[] split(String line) {
    return line.split("\t", -1);
  }

  /** Splits into exactly {@code columns} fields or reports the line as malformed. */
  public static String[] split(TextLines lines, String line, int columns, String layout) {
    String[] fields = split(line);
    if (fields.length != columns) {
      throw lines.error("expected " + columns + " tab-separated columns (" + layout + "), found " + fields.length);
    }
    return fields;
  }

  public static List<String> splitQuoted(TextLines lines, String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    int n = line.length();
    while (true) {
      field.setLength(0);
      if (i < n && line.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw lines.error("unterminated quoted field (a quoted field may not span lines)");
          }
          char c = line.charAt(i++);
          if (c == '"') {
            if (i < n && line.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              break;
            }
          } else {
            field.append(c);
          }
        }
        if (i < n && line.charAt(i) != '\t') {
          throw lines.error("unexpected character after the closing quote of column " + (fields.size() + 1));
        }
      } else {
        int end = line.indexOf('\t', i);
        end = end < 0 ? n : end;
        field.append(line, i, end);
        i = end;
      }
      fields.add(field.toString());
      if (i >= n) {
        return fields;
      }
      i++; // the tab
    }
  }

  /** Parses an integer column or reports it. */
  public static int parseInt(TextLines lines, String value, String column) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw lines.error(column + " must be an integer, found \"" + value + "\"");
    }
  }

  /** Parses a floating-point column or reports it. */
  public static double parseDouble(TextLines lines, String value, String column) {
    try {
      double d = Double.parseDouble(value.strip());
      if (Double.isNaN(d)) {
        throw lines.error(column + " is NaN");
      }
      return d;
    } catch (NumberFormatException e) {
      throw lines.error(column + " must be a number, found \"" + value + "\"");
    }
  }
}
