package dev.quarry.reader;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.JsonLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A small SQuAD v1.1 file for reader tests: 5 articles ({@code Nation_0} .. {@code Nation_4}; the fifth is the test
 * article of {@code dev.test}) of 2 paragraphs, each paragraph with 3 questions whose answers it states, and a run
 * that ranks every paragraph for every question with the gold paragraph second.
 */
final class ReaderFixtures {
  static final int ARTICLES = 5;
  static final int PARAGRAPHS = 2;
  static final String[] FACTS = {"capital", "river", "mountain"};

  private ReaderFixtures() {
  }

  static String paragraphId(int article, int paragraph) {
    return "Nation_" + article + "_p" + paragraph;
  }

  static String answer(int article, int paragraph, int fact) {
    return List.of("Arden", "Belmor", "Corvin", "Dunmore", "Elster", "Farrow", "Garnet", "Hollis", "Ivers", "Jensen")
        .get(article * PARAGRAPHS + paragraph) + new String[] {"ville", "flow", " Peak"}[fact];
  }

  /** Writes {@code dir/dev-v1.1.json} and returns {@code dir}. */
  static Path squad(Path dir) {
    ObjectNode root = JsonLines.MAPPER.createObjectNode();
    root.put("version", "1.1");
    ArrayNode data = root.putArray("data");
    for (int a = 0; a < ARTICLES; a++) {
      ObjectNode article = data.addObject();
      article.put("title", "Nation_" + a);
      ArrayNode paragraphs = article.putArray("paragraphs");
      for (int p = 0; p < PARAGRAPHS; p++) {
        StringBuilder context = new StringBuilder("Region " + a + "." + p + " is a quiet place.");
        int[] starts = new int[FACTS.length];
        for (int f = 0; f < FACTS.length; f++) {
          context.append(" Its ").append(FACTS[f]).append(" is ");
          starts[f] = context.length();
          context.append(answer(a, p, f)).append('.');
        }
        ObjectNode paragraph = paragraphs.addObject();
        paragraph.put("context", context.toString());
        ArrayNode qas = paragraph.putArray("qas");
        for (int f = 0; f < FACTS.length; f++) {
          ObjectNode qa = qas.addObject();
          qa.put("id", "q" + a + p + f);
          qa.put("question", "What is the " + FACTS[f] + " of region " + a + "." + p + "?");
          ObjectNode ans = qa.putArray("answers").addObject();
          ans.put("answer_start", starts[f]);
          ans.put("text", answer(a, p, f));
        }
      }
    }
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("dev-v1.1.json"), root.toPrettyString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  /** A run of every question ranking every paragraph, its own paragraph second (written to {@code file}). */
  static Path run(Path file) {
    return run(file, a -> true);
  }

  /** The same run for the questions of the articles {@code articles} accepts. */
  static Path run(Path file, java.util.function.IntPredicate articles) {
    StringBuilder run = new StringBuilder();
    for (int a = 0; a < ARTICLES; a++) {
      if (!articles.test(a)) {
        continue;
      }
      for (int p = 0; p < PARAGRAPHS; p++) {
        for (int f = 0; f < FACTS.length; f++) {
          String gold = paragraphId(a, p);
          List<String> order = new java.util.ArrayList<>();
          for (int x = 0; x < ARTICLES; x++) {
            for (int y = 0; y < PARAGRAPHS; y++) {
              if (!paragraphId(x, y).equals(gold)) {
                order.add(paragraphId(x, y));
              }
            }
          }
          order.add(1, gold);
          for (int r = 0; r < order.size(); r++) {
            run.append("q").append(a).append(p).append(f).append(" Q0 ").append(order.get(r)).append(' ')
                .append(r + 1).append(' ').append(100 - r).append(" bm25\n");
          }
        }
      }
    }
    try {
      Files.writeString(file, run.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
