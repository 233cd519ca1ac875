package dev.quarry.mine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.data.Passage;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.DataFormatException;
import dev.quarry.io.JsonLines;
import dev.quarry.io.TextLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Training groups as JSONL: UTF-8, one JSON object per line, one line per query ({@code .gz} files are read
 * transparently; blank lines are skipped). Each object has these fields, in this order when written:
 * <ul>
 *   <li>{@code query_id} (string; a number is read as its text): the query's id in its dataset; unique in the
 *     file.</li>
 *   <li>{@code query} (string): the query text.</li>
 *   <li>{@code positives} (array, at least one element): the relevant passages, each an object with
 *     <ul>
 *       <li>{@code id} (string): the passage id in the corpus; distinct within the group;</li>
 *       <li>{@code title} (string, may be empty): the passage title;</li>
 *       <li>{@code text} (string): the passage text.</li>
 *     </ul></li>
 *   <li>{@code negatives} (array, possibly empty): passages used as not relevant ({@link NegativeMiner} writes
 *     those from the run best rank first, then the random ones); each an object with
 *     <ul>
 *       <li>{@code id}, {@code title}, {@code text}: as for positives; an id is never also a positive of the group,
 *         and never repeats within it;</li>
 *       <li>{@code source} (string, not blank): what produced the negative, the mining source name ({@code bm25},
 *         {@code dense}, ...) or {@code random} for one drawn from the whole corpus;</li>
 *       <li>{@code rank} (integer {@code >= 1}, or null): its 1-based rank in the candidate run, in trec_eval's order
 *         ({@link dev.quarry.data.TrecOrder}); null for a random negative;</li>
 *       <li>{@code score} (finite number, or null): its score in the candidate run, written as the shortest decimal
 *         that reads back as the same double; null for a random negative.</li>
 *     </ul></li>
 * </ul>
 * Every field listed must be present ({@code rank} and {@code score} may be null but not left out). A positive or a
 * negative may also carry {@code teacher_score} (a finite number): a teacher's score of the pair, written by the
 * RocketQA pipeline for listwise distillation ({@code distillation} section of a training config); a group is
 * scored for all of its passages or none. Other fields are ignored, so later versions can add some. For example (one line, wrapped here):
 * <pre>{@code
 * {"query_id":"0","query":"0-dimensional biomaterials lack inductive properties.",
 *  "positives":[{"id":"31715818","title":"New opportunities: the use of nanotechnologies ...","text":"..."}],
 *  "negatives":[{"id":"19961177","title":"Mortality from causes ...","text":"...","source":"bm25","rank":19,
 *                "score":3.920135021209717},
 *               {"id":"13765757","title":"Timing of menarche ...","text":"...","source":"random","rank":null,
 *                "score":null}]}
 * }</pre>
 * The reader is strict: malformed JSON, a missing or mistyped field, an empty {@code positives}, a repeated
 * {@code query_id} or passage id are {@link DataFormatException}s naming file and line.
 */
public final class TrainGroupFormat {
  private TrainGroupFormat() {
  }

  /** Reads every group, in file order. */
  public static List<TrainGroup> read(Path file) {
    List<TrainGroup> groups = new ArrayList<>();
    forEach(file, groups::add);
    return groups;
  }

  /** Streams the groups of {@code file} to {@code sink}, in file order. */
  public static void forEach(Path file, Consumer<TrainGroup> sink) {
    Map<String, Long> seen = new HashMap<>();
    try (TextLines lines = TextLines.open(file)) {
      for (String line; (line = lines.next()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        TrainGroup group = parse(lines, JsonLines.parseObject(lines, line));
        Long first = seen.putIfAbsent(group.queryId(), lines.lineNumber());
        if (first != null) {
          throw lines.error("duplicate query_id \"" + group.queryId() + "\" (first at line " + first + ")");
        }
        sink.accept(group);
      }
    }
  }

  private static TrainGroup parse(TextLines lines, ObjectNode o) {
    String queryId = JsonLines.requireText(o, "query_id", lines::error);
    String query = JsonLines.requireText(o, "query", lines::error);
    List<Passage> positives = new ArrayList<>();
    JsonNode positiveArray = requireArray(o, "positives", lines::error);
    if (positiveArray.isEmpty()) {
      throw lines.error("field \"positives\" is empty; a group needs at least one positive");
    }
    Map<String, Double> teacher = new HashMap<>();
    for (int i = 0; i < positiveArray.size(); i++) {
      positives.add(passage(positiveArray.get(i), "positives[" + i + "]", lines));
      teacherScore(positiveArray.get(i), "positives[" + i + "]", lines, teacher);
    }
    List<TrainGroup.Negative> negatives = new ArrayList<>();
    JsonNode negativeArray = requireArray(o, "negatives", lines::error);
    for (int i = 0; i < negativeArray.size(); i++) {
      negatives.add(negative(negativeArray.get(i), "negatives[" + i + "]", lines));
      teacherScore(negativeArray.get(i), "negatives[" + i + "]", lines, teacher);
    }
    if (!teacher.isEmpty() && teacher.size() != positiveArray.size() + negativeArray.size()) {
      throw lines.error("teacher_score is given for " + teacher.size() + " of the group's "
          + (positiveArray.size() + negativeArray.size()) + " passages; give it for all of them or none");
    }
    try {
      return new TrainGroup(queryId, query, positives, negatives, teacher);
    } catch (IllegalArgumentException e) {
      throw new DataFormatException(lines.file(), lines.lineNumber(), e.getMessage(), e);
    }
  }

  private static void teacherScore(JsonNode node, String where, TextLines lines, Map<String, Double> into) {
    JsonNode score = node.get("teacher_score");
    if (score == null) {
      return;
    }
    if (!(score.isNumber() && Double.isFinite(score.doubleValue()))) {
      throw lines.error(where + ": field \"teacher_score\" must be a finite number, found " + score);
    }
    into.put(node.get("id").asText(), score.doubleValue());
  }

  private static Passage passage(JsonNode node, String where, TextLines lines) {
    if (!node.isObject()) {
      throw lines.error(where + " must be an object, found " + node.getNodeType());
    }
    JsonLines.ErrorSink errors = problem -> lines.error(where + ": " + problem);
    return new Passage(JsonLines.requireText(node, "id", errors), JsonLines.requireText(node, "title", errors),
        JsonLines.requireText(node, "text", errors));
  }

  private static TrainGroup.Negative negative(JsonNode node, String where, TextLines lines) {
    Passage passage = passage(node, where, lines);
    JsonLines.ErrorSink errors = problem -> lines.error(where + ": " + problem);
    String source = JsonLines.requireText(node, "source", errors);
    if (source.isBlank()) {
      throw errors.error("field \"source\" is blank");
    }
    JsonNode rank = requirePresent(node, "rank", errors);
    if (!rank.isNull() && !(rank.isIntegralNumber() && rank.canConvertToInt() && rank.intValue() >= 1)) {
      throw errors.error("field \"rank\" must be an integer >= 1 or null, found " + rank);
    }
    JsonNode score = requirePresent(node, "score", errors);
    if (!score.isNull() && !(score.isNumber() && Double.isFinite(score.doubleValue()))) {
      throw errors.error("field \"score\" must be a finite number or null, found " + score);
    }
    return new TrainGroup.Negative(passage, source, rank.isNull() ? null : rank.intValue(),
        score.isNull() ? null : score.doubleValue());
  }

  private static JsonNode requireArray(JsonNode o, String field, JsonLines.ErrorSink errors) {
    JsonNode value = o.get(field);
    if (value == null || value.isNull()) {
      throw errors.error("missing field \"" + field + "\"");
    }
    if (!value.isArray()) {
      throw errors.error("field \"" + field + "\" must be an array, found " + value.getNodeType());
    }
    return value;
  }

  private static JsonNode requirePresent(JsonNode o, String field, JsonLines.ErrorSink errors) {
    JsonNode value = o.get(field);
    if (value == null) {
      throw errors.error("missing field \"" + field + "\" (write null when there is none)");
    }
    return value;
  }

  /** Writes {@code groups} to {@code file} atomically. */
  public static void write(Path file, Iterable<TrainGroup> groups) {
    try (Writer writer = writer(file)) {
      for (TrainGroup group : groups) {
        writer.write(group);
      }
      writer.commit();
    }
  }

  /** Starts writing {@code file}: groups go to a temporary file that {@link Writer#commit()} renames into place. */
  public static Writer writer(Path file) {
    return new Writer(AtomicOutput.create(file));
  }

  /** The JSON object of one group, as written. */
  static ObjectNode toJson(TrainGroup group) {
    ObjectNode o = JsonLines.MAPPER.createObjectNode();
    o.put("query_id", group.queryId()).put("query", group.query());
    ArrayNode positives = o.putArray("positives");
    for (Passage p : group.positives()) {
      teacherJson(passageJson(positives.addObject(), p), group, p);
    }
    ArrayNode negatives = o.putArray("negatives");
    for (TrainGroup.Negative n : group.negatives()) {
      ObjectNode j = passageJson(negatives.addObject(), n.passage()).put("source", n.source());
      if (n.rank() == null) {
        j.putNull("rank");
      } else {
        j.put("rank", n.rank().intValue());
      }
      if (n.score() == null) {
        j.putNull("score");
      } else {
        j.put("score", n.score().doubleValue());
      }
      teacherJson(j, group, n.passage());
    }
    return o;
  }

  private static void teacherJson(ObjectNode o, TrainGroup group, Passage p) {
    Double score = group.teacherScores().get(p.id());
    if (score != null) {
      o.put("teacher_score", score.doubleValue());
    }
  }

  private static ObjectNode passageJson(ObjectNode o, Passage p) {
    return o.put("id", p.id()).put("title", p.title()).put("text", p.text());
  }

  /** Writes groups one line at a time; closing without {@link #commit()} leaves the target as it was. */
  public static final class Writer implements AutoCloseable {
    private final AtomicOutput out;

    private Writer(AtomicOutput out) {
      this.out = out;
    }

    public void write(TrainGroup group) {
      try {
        out.writer().write(JsonLines.MAPPER.writeValueAsString(toJson(group)));
        out.writer().write('\n');
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + out.target(), e);
      }
    }

    /** Renames the complete file into place. */
    public void commit() {
      out.commit();
    }

    @Override
    public void close() {
      out.close();
    }
  }
}
