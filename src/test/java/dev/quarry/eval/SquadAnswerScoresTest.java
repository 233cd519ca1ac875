package dev.quarry.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.quarry.io.JsonLines;
import dev.quarry.testing.SharedData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQuAD's exact match and F1 against the official evaluate-v1.1.py's logic ({@code scripts/squad_scores.py}, run by
 * the machine's Python), on hand-made edge cases and on SQuAD dev's own answers scored against other questions'.
 */
class SquadAnswerScoresTest {
  @TempDir
  Path tmp;

  @Test
  void handPickedCases() {
    assertThat(SquadAnswerScores.normalize("  The  Eiffel-Tower, in   PARIS!  ")).isEqualTo("eiffeltower in paris");
    assertThat(SquadAnswerScores.normalize("an apple a day")).isEqualTo("apple day");
    assertThat(SquadAnswerScores.exactMatch("the Denver Broncos", List.of("Carolina", "Denver Broncos"))).isEqualTo(1);
    assertThat(SquadAnswerScores.f1("Denver Broncos won", List.of("Denver Broncos"))).isEqualTo(0.8);
    assertThat(SquadAnswerScores.f1("the", List.of("a"))).isZero();   // both normalize to nothing
    SquadAnswerScores.Summary s = SquadAnswerScores.summarize(List.of("Denver Broncos", "1990"),
        List.of(List.of("Denver Broncos"), List.of("1991")));
    assertThat(s.exactMatch()).isEqualTo(50.0);
    assertThat(s.f1()).isEqualTo(50.0);
  }

  @Test
  void equalsTheOfficialScriptOnEdgeCasesAndOnSquadDevAnswers() throws Exception {
    Path python = Path.of("/usr/bin/python3");
    assumeThat(Files.isExecutable(python)).as("Python at " + python).isTrue();
    List<String> predictions = new ArrayList<>(List.of("The  Éclair—naïve “quoted” A-B", "İstanbul\u00a0the\tcity",
        "a an the", "", "U.S.A.", "¿Qué? ¡Sí!", "3.14 is pi's", "rock 'n' roll", "the the cat cat", "Ⅷ ＡＢＣ"));
    List<List<String>> golds = new ArrayList<>(List.of(List.of("eclair naive quoted ab", "The Éclair naïve"),
        List.of("istanbul city"), List.of("the"), List.of("x"), List.of("USA"), List.of("qué sí"), List.of("314 pis"),
        List.of("rock n roll", "rock and roll"), List.of("cat the cat"), List.of("ⅷ ａｂｃ")));
    JsonNode squad = JsonLines.MAPPER.readTree(SharedData.squad().resolve("dev-v1.1.json").toFile());
    List<List<String>> answers = new ArrayList<>();
    for (JsonNode article : squad.path("data")) {
      for (JsonNode paragraph : article.path("paragraphs")) {
        for (JsonNode qa : paragraph.path("qas")) {
          List<String> texts = new ArrayList<>();
          qa.path("answers").forEach(a -> texts.add(a.path("text").asText()));
          answers.add(texts);
        }
      }
    }
    for (int i = 0; i < 2000; i++) {   // each question's first answer against its own golds and the next question's
      predictions.add(answers.get(i).get(0));
      golds.add(answers.get(i + (i % 2)));
    }
    ArrayNode cases = JsonLines.MAPPER.createArrayNode();
    for (int i = 0; i < predictions.size(); i++) {
      ArrayNode g = cases.addObject().put("prediction", predictions.get(i)).putArray("golds");
      golds.get(i).forEach(g::add);
    }
    Path file = tmp.resolve("cases.json");
    Files.writeString(file, cases.toString(), StandardCharsets.UTF_8);
    Process p = new ProcessBuilder(python.toString(), "scripts/squad_scores.py", file.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(lines).hasSize(predictions.size());
    int partial = 0;
    for (int i = 0; i < lines.size(); i++) {
      JsonNode expected = JsonLines.MAPPER.readTree(lines.get(i));
      String what = "case " + i + ": " + predictions.get(i) + " vs " + golds.get(i);
      assertThat(SquadAnswerScores.normalize(predictions.get(i))).as(what)
          .isEqualTo(expected.path("normalized").asText());
      assertThat(SquadAnswerScores.exactMatch(predictions.get(i), golds.get(i))).as(what)
          .isEqualTo(expected.path("em").asDouble());
      assertThat(SquadAnswerScores.f1(predictions.get(i), golds.get(i))).as(what)
          .isEqualTo(expected.path("f1").asDouble());
      double f1 = expected.path("f1").asDouble();
      partial += f1 > 0 && f1 < 1 ? 1 : 0;
    }
    assertThat(partial).as("cases with a partial F1, so F1's arithmetic is exercised").isGreaterThanOrEqualTo(40);
  }
}
