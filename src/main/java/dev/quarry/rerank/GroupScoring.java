package dev.quarry.rerank;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.JsonLines;
import dev.quarry.io.TextLines;
import dev.quarry.mine.TrainGroup;
import dev.quarry.util.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Puts a judge's scores on training groups, for listwise distillation: every positive and negative of each group
 * gets the judge's score of the pair ({@code teacher_score} in the groups file).
 *
 * <p>Scores are kept in a cache file beside the groups, so a killed stage resumes without scoring again what it had scored.
 * Its format: JSONL, one object per scored query, {@code {"query_id": "...", "query": "...", "judge": "...",
 * "scores": {"doc id": score, ...}}}, where {@code judge} is the judge's fingerprint
 * ({@code dev.quarry.teacher.Judges#fingerprint}); a pair is scored again when the cache lacks it, or holds it under
 * another query text or another judge (a line without {@code judge}, written before it existed, counts as another
 * judge). The cache is rewritten atomically after every chunk of {@value #CHUNK} queries scored, so a killed run loses
 * at most one chunk, and it then holds only this judge's scores.
 */
public final class GroupScoring {
  private GroupScoring() {
  }

  /** Queries a scorer is given at a time; the cache is written after each such chunk. */
  static final int CHUNK = 256;

  /** A query's pairs the cache does not hold: what a judge must score. */
  public record Missing(String queryId, String query, List<Passage> passages) implements java.io.Serializable {
  }

  /** Scores the missing pairs of many queries at once, in order: a loop here, Spark tasks in quarry-spark. */
  @FunctionalInterface
  public interface Scorer {
    List<float[]> score(List<Missing> missing, Progress.Task task);
  }

  /**
   * The groups with the judge's scores of all their passages.
   *
   * @param fingerprint identifies the judge in the cache: scores cached under another are not used
   */
  public static List<TrainGroup> score(PairJudge judge, String fingerprint, List<TrainGroup> groups, Path cache,
      Progress progress) {
    return score(groups, cache, fingerprint, (missing, task) -> {
      List<float[]> out = new ArrayList<>(missing.size());
      for (Missing m : missing) {
        out.add(judge.score(new Query(m.queryId(), m.query()), m.passages()));
        task.step();
      }
      return out;
    }, progress);
  }

  /**
   * The groups with {@code scorer}'s scores of all their passages: the cache's where it holds them under the same
   * query text and judge {@code fingerprint}, {@code scorer}'s for the rest; the cache is then written with every
   * score.
   */
  public static List<TrainGroup> score(List<TrainGroup> groups, Path cache, String fingerprint, Scorer scorer,
      Progress progress) {
    if (fingerprint == null || fingerprint.isBlank()) {
      throw new IllegalArgumentException("a judge's fingerprint must be non-blank: it keys the score cache " + cache);
    }
    Map<String, ObjectNode> cached = read(cache);
    List<Map<String, Double>> scores = new ArrayList<>(groups.size());
    List<Missing> missing = new ArrayList<>();
    List<Integer> missingGroup = new ArrayList<>();
    for (int i = 0; i < groups.size(); i++) {
      TrainGroup g = groups.get(i);
      ObjectNode entry = cached.get(g.queryId());
      boolean same = entry != null && entry.path("query").asText().equals(g.query())
          && entry.path("judge").asText().equals(fingerprint);
      JsonNode known = same ? entry.path("scores") : JsonLines.MAPPER.createObjectNode();
      Map<String, Double> s = new HashMap<>();
      List<Passage> unknown = new ArrayList<>();
      for (Passage p : passages(g)) {
        if (known.path(p.id()).isNumber()) {
          s.put(p.id(), known.path(p.id()).asDouble());
        } else {
          unknown.add(p);
        }
      }
      scores.add(s);
      if (!unknown.isEmpty()) {
        missing.add(new Missing(g.queryId(), g.query(), unknown));
        missingGroup.add(i);
      }
    }
    try (Progress.Task task = progress.start("teacher scores", missing.size())) {
      for (int from = 0; from < missing.size(); from += CHUNK) {
        List<Missing> chunk = missing.subList(from, Math.min(missing.size(), from + CHUNK));
        List<float[]> computed = scorer.score(chunk, task);
        for (int j = 0; j < chunk.size(); j++) {
          List<Passage> ps = chunk.get(j).passages();
          float[] s = computed.get(j);
          if (s.length != ps.size()) {
            throw new IllegalStateException("the judge gave " + s.length + " scores for " + ps.size() + " passages of "
                + "query " + chunk.get(j).queryId());
          }
          for (int k = 0; k < s.length; k++) {
            scores.get(missingGroup.get(from + j)).put(ps.get(k).id(), (double) s[k]);
          }
        }
        writeCache(cache, fingerprint, groups, scores);   // a killed run keeps what was scored so far
      }
    }
    List<TrainGroup> out = new ArrayList<>(groups.size());
    for (int i = 0; i < groups.size(); i++) {
      out.add(groups.get(i).withTeacherScores(scores.get(i)));
    }
    writeCache(cache, fingerprint, groups, scores);
    return List.copyOf(out);
  }

  /** Writes the cache: one line per group whose passages all have a score. */
  private static void writeCache(Path cache, String fingerprint, List<TrainGroup> groups,
      List<Map<String, Double>> scores) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < groups.size(); i++) {
      TrainGroup g = groups.get(i);
      Map<String, Double> s = scores.get(i);
      List<Passage> passages = passages(g);
      if (!passages.stream().allMatch(p -> s.containsKey(p.id()))) {
        continue;
      }
      ObjectNode line = JsonLines.MAPPER.createObjectNode().put("query_id", g.queryId()).put("query", g.query())
          .put("judge", fingerprint);
      ObjectNode o = line.putObject("scores");
      passages.forEach(p -> o.put(p.id(), s.get(p.id())));
      text.append(line.toString()).append('\n');
    }
    AtomicOutput.writeString(cache, text.toString());
  }

  private static List<Passage> passages(TrainGroup g) {
    List<Passage> passages = new ArrayList<>(g.positives());
    g.negatives().forEach(n -> passages.add(n.passage()));
    return passages;
  }

  /** The cache's entries by query id; a missing file is an empty cache, a malformed line an error naming it. */
  private static Map<String, ObjectNode> read(Path cache) {
    Map<String, ObjectNode> out = new HashMap<>();
    if (!Files.exists(cache)) {
      return out;
    }
    try (TextLines lines = TextLines.open(cache)) {
      for (String line; (line = lines.next()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        ObjectNode o = JsonLines.parseObject(lines, line);
        String id = JsonLines.requireText(o, "query_id", lines::error);
        JsonLines.requireText(o, "query", lines::error);
        if (!o.path("scores").isObject()) {
          throw lines.error("field \"scores\" must be an object of passage id -> score");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = o.path("scores").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!e.getValue().isNumber() || !Double.isFinite(e.getValue().asDouble())) {
            throw lines.error("score of " + e.getKey() + " must be a finite number, found " + e.getValue());
          }
        }
        out.put(id, o);
      }
    }
    return out;
  }
}
