package dev.quarry.reader;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.data.ScoredDoc;
import dev.quarry.eval.SquadAnswerScores;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.JsonLines;
import dev.quarry.rerank.Candidates;
import dev.quarry.util.Progress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Open-domain question answering over a ranking: each question's top {@link AnswerDecoding#passages()} passages are
 * read by a {@link Reader}, which answers from the passage it selects. Predictions are scored with SQuAD's official
 * exact match and F1 ({@link SquadAnswerScores}).
 */
public final class QuestionAnswering {
  private QuestionAnswering() {
  }

  /** A question and the reader's answer; empty when none of its passages kept a token. */
  public record Prediction(Query question, Optional<Answer> answer) {
    /** The answer text, "" when there is none (which matches no gold answer). */
    public String text() {
      return answer.map(Answer::text).orElse("");
    }

    /** The JSON line of {@code quarry qa}'s answers file, with exact match and F1 when gold answers are known. */
    public ObjectNode toJson(List<String> golds) {
      ObjectNode o = JsonLines.MAPPER.createObjectNode();
      o.put("query_id", question.id());
      o.put("question", question.text());
      o.put("answer", text());
      answer.ifPresent(a -> {
        o.put("passage_id", a.passage().id());
        o.put("passage_rank", a.passageRank());
        o.put("char_start", a.charStart());
        o.put("char_end", a.charEnd());
        o.put("span_score", a.spanScore());
        o.put("selection_score", a.selectionScore());
      });
      if (golds != null) {
        golds.forEach(o.putArray("gold_answers")::add);
        o.put("exact_match", SquadAnswerScores.exactMatch(text(), golds));
        o.put("f1", SquadAnswerScores.f1(text(), golds));
      }
      return o;
    }
  }

  /**
   * Writes one JSON line per prediction ({@link Prediction#toJson}), with its exact match and F1 when {@code answers}
   * (gold answers by question id) is given.
   */
  public static void write(Path file, List<Prediction> predictions, Map<String, List<String>> answers) {
    StringBuilder lines = new StringBuilder();
    for (Prediction p : predictions) {
      lines.append(p.toJson(answers == null ? null : answers.get(p.question().id()))).append('\n');
    }
    AtomicOutput.writeString(file, lines.toString());
  }

  /** Answers every question the candidates rank, in the order of {@code questions}. */
  public static List<Prediction> answer(Reader reader, List<Query> questions, Candidates candidates,
      AnswerDecoding decoding, Progress progress) {
    List<Prediction> out = new ArrayList<>(questions.size());
    try (Progress.Task task = progress.start("read", questions.size())) {
      for (Query q : questions) {
        List<Passage> passages = new ArrayList<>();
        for (ScoredDoc d : candidates.top(q.id())) {
          if (passages.size() == decoding.passages()) {
            break;
          }
          passages.add(candidates.passage(d.docId()));
        }
        out.add(new Prediction(q, reader.answer(q.text(), passages, decoding)));
        task.step(1);
      }
    }
    return out;
  }

  /** Mean exact match and F1 (x 100) of predictions against their questions' gold answers. */
  public static SquadAnswerScores.Summary score(List<Prediction> predictions, Map<String, List<String>> answers) {
    List<String> texts = new ArrayList<>();
    List<List<String>> golds = new ArrayList<>();
    for (Prediction p : predictions) {
      List<String> gold = answers.get(p.question().id());
      if (gold == null) {
        throw new IllegalArgumentException("question " + p.question().id() + " has no gold answers to score against");
      }
      texts.add(p.text());
      golds.add(gold);
    }
    return SquadAnswerScores.summarize(texts, golds);
  }
}
