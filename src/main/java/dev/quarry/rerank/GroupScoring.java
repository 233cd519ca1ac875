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
 * <p>Scores are kept in a cache file beside the groups, so a stage killed after scoring resumes without rescoring.
 * Its format: JSONL, one object per scored query, {@code {"query_id": "...", "query": "...", "scores": {"doc id":
 * score, ...}}}; a pair is scored again only when the cache lacks it or holds it under another query text. The
 * cache is written atomically once every group is scored.
 */
public final class GroupScoring {
  private GroupScoring() {
  }

  /** The groups with the judge's scores of all their passages. */
  public static List<TrainGroup> score(PairJudge judge, List<TrainGroup> groups, Path cache, Progress progress) {
    Map<String, ObjectNode> cached = read(cache);
    List<TrainGroup> out = new ArrayList<>(groups.size());
    List<ObjectNode> written = new ArrayList<>(groups.size());
    try (Progress.Task task = progress.start("teacher scores", groups.size())) {
      for (TrainGroup g : groups) {
        List<Passage> passages = new ArrayList<>(g.positives());
        g.negatives().forEach(n -> passages.add(n.passage()));
        ObjectNode entry = cached.get(g.queryId());
        JsonNode known = entry != null && entry.path("query").asText().equals(g.query())
            ? entry.path("scores") : JsonLines.MAPPER.createObjectNode();
        List<Passage> missing = passages.stream().filter(p -> !known.path(p.id()).isNumber()).toList();
        Map<String, Double> scores = new HashMap<>();
        passages.forEach(p -> {
          if (known.path(p.id()).isNumber()) {
            scores.put(p.id(), known.path(p.id()).asDouble());
          }
        });
        if (!missing.isEmpty()) {
          float[] s = judge.score(new Query(g.queryId(), g.query()), missing);
          for (int i = 0; i < s.length; i++) {
            scores.put(missing.get(i).id(), (double) s[i]);
          }
        }
        out.add(g.withTeacherScores(scores));
        ObjectNode line = JsonLines.MAPPER.createObjectNode().put("query_id", g.queryId()).put("query", g.query());
        ObjectNode s = line.putObject("scores");
        passages.forEach(p -> s.put(p.id(), scores.get(p.id())));
        written.add(line);
        task.step();
      }
    }
    StringBuilder text = new StringBuilder();
    written.forEach(o -> text.append(o.toString()).append('\n'));
    AtomicOutput.writeString(cache, text.toString());
    return List.copyOf(out);
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
