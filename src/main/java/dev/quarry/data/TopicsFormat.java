package dev.quarry.data;

import dev.quarry.io.TextLines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Query files that are not a dataset's split ({@code search --topics}), in the three forms Pyserini's users bring,
 * told apart by the first non-blank line:
 * <ul>
 *   <li>a TREC topic file: starts with a tag ({@code <top>}); each topic's {@code <num>} (a leading {@code Number:} dropped)
 *       is its id and its {@code <title>} (up to the next tag) its text, as Anserini reads topics by default;
 *   <li>BEIR JSONL: starts with <code>{</code>; {@code _id} and {@code text} ({@link BeirFormat#readQueries});
 *   <li>otherwise TSV: {@code id<TAB>text}, one query a line, as MS MARCO's queries ({@link MsMarcoFormat}).
 * </ul>
 * Ids follow the rule every reader applies ({@link Ids}); a duplicate id, an empty query or a malformed topic is an
 * error naming the file and the line.
 */
public final class TopicsFormat {
  /** The forms a topics file can take. */
  public enum Form { TREC, JSONL, TSV }

  private TopicsFormat() {
  }

  /** Reads every query of {@code file}, in file order. */
  public static List<Query> read(Path file) {
    return switch (form(file)) {
      case TREC -> readTrec(file);
      case JSONL -> BeirFormat.readQueries(file);
      case TSV -> MsMarcoFormat.readQueries(file);
    };
  }

  /** Which form {@code file} is in, by its first non-blank line; an empty file is an error. */
  public static Form form(Path file) {
    try (TextLines lines = TextLines.open(file)) {
      for (String line; (line = lines.next()) != null; ) {
        String s = line.strip();
        if (s.isEmpty()) {
          continue;
        }
        if (s.startsWith("<")) {
          return Form.TREC;
        }
        return s.startsWith("{") ? Form.JSONL : Form.TSV;
      }
      throw lines.error("no query in the file (expected TSV id<TAB>text lines, BEIR JSONL or TREC <top> topics)");
    }
  }

  private static final Pattern TAG = Pattern.compile("</?[A-Za-z]+>");

  private static List<Query> readTrec(Path file) {
    List<Query> queries = new ArrayList<>();
    Map<String, Long> seen = new HashMap<>();
    try (TextLines lines = TextLines.open(file)) {
      Topic topic = null;
      String section = null;   // the tag whose text the next words continue
      for (String line; (line = lines.next()) != null; ) {
        Matcher m = TAG.matcher(line);
        int at = 0;
        while (true) {
          boolean found = m.find();
          String text = line.substring(at, found ? m.start() : line.length()).strip();
          if (!text.isEmpty()) {
            if (topic == null) {
              throw lines.error("text outside a <top> ... </top> topic: \"" + text + "\"");
            }
            topic.add(section, text);
          }
          if (!found) {
            break;
          }
          String tag = m.group().toLowerCase(Locale.ROOT);
          at = m.end();
          section = tag;
          if (tag.equals("<top>")) {
            if (topic != null) {
              throw lines.error("<top> inside the topic opened at line " + topic.line + " (missing </top>)");
            }
            topic = new Topic(lines.lineNumber());
          } else if (tag.equals("</top>")) {
            if (topic == null) {
              throw lines.error("</top> without <top>");
            }
            Query q = topic.query(lines);
            Long first = seen.putIfAbsent(q.id(), topic.line);
            if (first != null) {
              throw lines.error("duplicate topic id \"" + q.id() + "\" (first at line " + first + ")");
            }
            queries.add(q);
            topic = null;
          } else if (topic == null) {
            throw lines.error(tag + " outside a <top> ... </top> topic");
          }
        }
      }
      if (topic != null) {
        throw lines.error("the topic opened at line " + topic.line + " has no </top>");
      }
    }
    return queries;
  }

  /** The parts of one topic read so far. */
  private static final class Topic {
    final long line;
    final StringBuilder num = new StringBuilder();
    final StringBuilder title = new StringBuilder();

    Topic(long line) {
      this.line = line;
    }

    void add(String section, String text) {
      if ("<num>".equals(section)) {
        num.append(num.isEmpty() ? "" : " ").append(text);
      } else if ("<title>".equals(section)) {
        title.append(title.isEmpty() ? "" : " ").append(text);
      }   // <desc>, <narr> and other sections are not the query
    }

    Query query(TextLines lines) {
      String id = num.toString().strip();
      if (id.toLowerCase(Locale.ROOT).startsWith("number:")) {
        id = id.substring(7).strip();
      }
      if (id.isEmpty() || title.toString().isBlank()) {
        throw lines.error("the topic opened at line " + line + " has no " + (id.isEmpty() ? "<num>" : "<title>"));
      }
      return new Query(Ids.check(id, "topic id", lines::error), title.toString().strip().replaceAll("\\s+", " "));
    }
  }
}
