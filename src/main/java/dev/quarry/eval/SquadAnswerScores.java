package dev.quarry.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * SQuAD v1.1's answer scores, as its official {@code evaluate-v1.1.py} computes them: both strings normalized
 * (lower-cased; ASCII punctuation, the articles a, an and the, and extra whitespace removed), exact match is equality
 * of the normalized strings, F1 the harmonic mean of token precision and recall (tokens counted with multiplicity),
 * and each prediction takes its best score over the question's gold answers. Report means x 100, as SQuAD does.
 */
public final class SquadAnswerScores {
  /** Python's {@code string.punctuation}: ASCII only, as the official script removes. */
  private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
  private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the)\\b", Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

  private SquadAnswerScores() {
  }

  /** The official {@code normalize_answer}. */
  public static String normalize(String text) {
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    StringBuilder kept = new StringBuilder(lower.length());
    lower.codePoints().filter(c -> c >= 128 || PUNCTUATION.indexOf(c) < 0).forEach(kept::appendCodePoint);
    String noArticles = ARTICLES.matcher(kept).replaceAll(" ");
    return String.join(" ", tokens(noArticles));
  }

  private static List<String> tokens(String text) {
    String stripped = text.strip();
    return stripped.isEmpty() ? List.of() : List.of(WHITESPACE.split(stripped));
  }

  /** 1 when the normalized prediction equals a normalized gold answer, else 0. */
  public static double exactMatch(String prediction, List<String> golds) {
    String p = normalize(prediction);
    return golds.stream().anyMatch(g -> normalize(g).equals(p)) ? 1 : 0;
  }

  /** The best token F1 of the prediction against any gold answer. */
  public static double f1(String prediction, List<String> golds) {
    List<String> p = tokens(normalize(prediction));
    double best = 0;
    for (String gold : golds) {
      best = Math.max(best, f1(p, tokens(normalize(gold))));
    }
    return best;
  }

  private static double f1(List<String> prediction, List<String> gold) {
    Map<String, Integer> counts = new HashMap<>();
    for (String t : gold) {
      counts.merge(t, 1, Integer::sum);
    }
    int common = 0;
    for (String t : prediction) {
      Integer left = counts.get(t);
      if (left != null && left > 0) {
        common++;
        counts.put(t, left - 1);
      }
    }
    if (common == 0) {
      return 0;
    }
    double precision = (double) common / prediction.size();
    double recall = (double) common / gold.size();
    return 2 * precision * recall / (precision + recall);
  }

  /** Mean exact match and F1, x 100, over predictions and their gold answers (one list per question). */
  public record Summary(double exactMatch, double f1, int questions) {
  }

  public static Summary summarize(List<String> predictions, List<List<String>> golds) {
    if (predictions.size() != golds.size()) {
      throw new IllegalArgumentException(predictions.size() + " predictions for " + golds.size() + " questions");
    }
    double em = 0;
    double f1 = 0;
    for (int i = 0; i < predictions.size(); i++) {
      em += exactMatch(predictions.get(i), golds.get(i));
      f1 += f1(predictions.get(i), golds.get(i));
    }
    int n = predictions.size();
    return new Summary(n == 0 ? 0 : 100 * em / n, n == 0 ? 0 : 100 * f1 / n, n);
  }
}
