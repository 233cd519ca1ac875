package dev.quarry.eval;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DPR's answer matching ({@code has_answer} with {@code match_type="string"} in facebookresearch/DPR
 * {@code dpr/data/qa_validation.py}): the passage and each answer are NFD-normalized, split by DrQA's
 * {@code SimpleTokenizer} (runs of letters, digits and marks, or any single non-space, non-control character) and
 * lower-cased; a passage has an answer when the answer's token sequence occurs in the passage's.
 */
public final class DprAnswerMatcher {
  private static final Pattern TOKEN = Pattern.compile("([\\p{L}\\p{N}\\p{M}]+)|([^\\p{Z}\\p{C}])",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.MULTILINE);

  private DprAnswerMatcher() {
  }

  /** The lower-cased tokens of {@code text}, as DPR compares them. */
  public static List<String> tokens(String text) {
    String normalized = Normalizer.normalize(text, Normalizer.Form.NFD);
    List<String> tokens = new ArrayList<>();
    Matcher m = TOKEN.matcher(normalized);
    while (m.find()) {
      tokens.add(m.group().toLowerCase(Locale.ROOT));
    }
    return tokens;
  }

  /** Whether any answer occurs in the passage. */
  public static boolean hasAnswer(List<String> answers, String passageText) {
    return hasAnswerTokens(answers.stream().map(DprAnswerMatcher::tokens).toList(), tokens(passageText));
  }

  /**
   * The same test on tokens already made. As in DPR, an answer with no tokens matches any passage (Python's
   * {@code [] == text[0:0]}).
   */
  public static boolean hasAnswerTokens(List<List<String>> answers, List<String> passage) {
    for (List<String> answer : answers) {
      for (int i = 0; i + answer.size() <= passage.size(); i++) {
        if (passage.subList(i, i + answer.size()).equals(answer)) {
          return true;
        }
      }
    }
    return false;
  }
}
