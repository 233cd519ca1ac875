package dev.quarry.reader;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import dev.quarry.data.Passage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds {@link ReaderSequence}s with a BERT tokenizer: question, title and passage are tokenized apart (WordPiece
 * splits on whitespace and punctuation first, so this equals tokenizing them together) with the passage's character
 * offsets kept, then laid out as {@code [CLS] question [SEP] title [SEP] passage [SEP]} within {@code maxLength}
 * tokens. The question keeps at most a quarter of them and the title at most an eighth; the passage is cut to fit
 * the rest, as DPR does. Tokenized passages are cached (the most recent {@value #CACHED} texts), since a training
 * run or a reader over a run meets the same passages again and again.
 */
public final class ReaderTokenizer implements AutoCloseable {
  static final int CACHED = 20_000;

  private final HuggingFaceTokenizer tokenizer;
  private final int maxLength;
  private final long cls;
  private final long sep;
  private final Map<String, Tokens> cache = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Tokens> eldest) {
      return size() > CACHED;
    }
  };

  /** Tokens of one text: ids, character offsets and word indices. */
  private record Tokens(long[] ids, int[] charStart, int[] charEnd, long[] wordIds) {
    Tokens head(int n) {
      int k = Math.min(n, ids.length);
      return new Tokens(Arrays.copyOf(ids, k), Arrays.copyOf(charStart, k), Arrays.copyOf(charEnd, k),
          Arrays.copyOf(wordIds, k));
    }
  }

  public ReaderTokenizer(Path tokenizerJson, int maxLength) {
    if (maxLength < 16) {
      throw new IllegalArgumentException("a reader sequence needs at least 16 tokens; maxLength=" + maxLength);
    }
    this.maxLength = maxLength;
    try {
      this.tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson).optAddSpecialTokens(false)
          .optTruncation(false).optPadding(false).build();
      HuggingFaceTokenizer special = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson)
          .optAddSpecialTokens(true).optTruncation(false).optPadding(false).build();
      try (special) {
        long[] pair = special.encode("a", "b").getIds();   // [CLS] a [SEP] b [SEP]
        this.cls = pair[0];
        this.sep = pair[pair.length - 1];
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the tokenizer " + tokenizerJson, e);
    }
  }

  public int maxLength() {
    return maxLength;
  }

  /** The reader input of a question and a passage. */
  public synchronized ReaderSequence sequence(String question, Passage passage) {
    Tokens q = tokens(question).head(maxLength / 4);
    Tokens t = passage.title().isBlank() ? null : tokens(passage.title()).head(maxLength / 8);
    int fixed = 1 + q.ids().length + 1 + (t == null ? 0 : t.ids().length + 1) + 1;
    Tokens p = tokens(passage.text()).head(maxLength - fixed);
    long[] ids = new long[fixed + p.ids().length];
    long[] types = new long[ids.length];
    int at = 0;
    ids[at++] = cls;
    System.arraycopy(q.ids(), 0, ids, at, q.ids().length);
    at += q.ids().length;
    ids[at++] = sep;
    int second = at;
    if (t != null) {
      System.arraycopy(t.ids(), 0, ids, at, t.ids().length);
      at += t.ids().length;
      ids[at++] = sep;
    }
    int passageStart = at;
    System.arraycopy(p.ids(), 0, ids, at, p.ids().length);
    at += p.ids().length;
    ids[at] = sep;
    Arrays.fill(types, second, types.length, 1L);
    return new ReaderSequence(passage, ids, types, passageStart, p.charStart(), p.charEnd(), p.wordIds());
  }

  private Tokens tokens(String text) {
    Tokens cached = cache.get(text);
    if (cached != null) {
      return cached;
    }
    Encoding e = tokenizer.encode(text);
    CharSpan[] spans = e.getCharTokenSpans();
    int[] start = new int[spans.length];
    int[] end = new int[spans.length];
    for (int i = 0; i < spans.length; i++) {
      start[i] = spans[i].getStart();
      end[i] = spans[i].getEnd();
    }
    Tokens tokens = new Tokens(e.getIds(), start, end, e.getWordIds());
    cache.put(text, tokens);
    return tokens;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
