package dev.quarry.condenser;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.quarry.data.Passage;
import dev.quarry.random.SplitMix64;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * coCondenser's data: the corpus tokenized once, grouped into documents ({@link SpanDocuments}: a passage, or all
 * passages of one title), and for each sampled document two random spans of at most {@code span_tokens} word pieces,
 * each from one of the document's passages drawn uniformly (overlap allowed; a short passage gives its whole text
 * twice, under different masks), each wrapped as {@code [CLS] span [SEP]} and masked as BERT masks:
 * {@code mask_probability} of the span's pieces (at least one) are chosen, of which 80% become {@code [MASK]}, 10% a
 * random piece and 10% stay. A one-passage document draws no passage, so such corpora sample as they did before
 * documents could hold several. Every draw comes from the generator the caller passes, so a step's batch is a
 * function of its seed.
 */
public final class SpanSampler {
  private final List<long[][]> documents;
  private final SpanDocuments unit;
  private final int skipped;
  private final SpecialTokens special;
  private final CondenserConfig config;

  /**
   * Tokenizes {@code corpus} ({@link Passage#titleAndText()}) with the model's tokenizer file and groups it into
   * documents as {@code unit} says ({@link SpanDocuments#PASSAGE} or {@link SpanDocuments#TITLE}; resolve
   * {@code AUTO} first). Passages of fewer than {@code min_tokens} pieces are left out; so is a document left empty.
   */
  public SpanSampler(List<Passage> corpus, SpanDocuments unit, Path tokenizerJson, SpecialTokens special,
      CondenserConfig config) {
    if (unit == SpanDocuments.AUTO) {
      throw new IllegalArgumentException("resolve documents: auto against the dataset's format first");
    }
    this.unit = unit;
    this.special = special;
    this.config = config;
    java.util.Map<String, List<long[]>> byTitle = new java.util.LinkedHashMap<>();
    List<List<long[]>> kept = new ArrayList<>();
    int tooShort = 0;
    try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson)
        .optAddSpecialTokens(false).optTruncation(false).optPadding(false).build()) {
      for (Passage p : corpus) {
        Encoding e = tokenizer.encode(p.titleAndText());
        long[] ids = e.getIds();
        if (ids.length < config.minTokens()) {
          tooShort++;
        } else if (unit == SpanDocuments.TITLE && !p.title().isBlank()) {
          List<long[]> doc = byTitle.get(p.title());
          if (doc == null) {
            doc = new ArrayList<>();
            byTitle.put(p.title(), doc);
            kept.add(doc);
          }
          doc.add(ids);
        } else {
          kept.add(new ArrayList<>(List.of(ids)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the tokenizer " + tokenizerJson, e);
    }
    this.documents = kept.stream().map(d -> d.toArray(long[][]::new)).toList();
    this.skipped = tooShort;
  }

  /** Every corpus entry a document of its own ({@link SpanDocuments#PASSAGE}). */
  public SpanSampler(List<Passage> corpus, Path tokenizerJson, SpecialTokens special, CondenserConfig config) {
    this(corpus, SpanDocuments.PASSAGE, tokenizerJson, special, config);
  }

  /** What a document is: {@link SpanDocuments#PASSAGE} or {@link SpanDocuments#TITLE}. */
  public SpanDocuments unit() {
    return unit;
  }

  /** Passages in document {@code d}. */
  public int passages(int d) {
    return documents.get(d).length;
  }

  /** Documents that can be sampled (the training items). */
  public int size() {
    return documents.size();
  }

  /** Passages left out for having fewer than {@code min_tokens} pieces. */
  public int skipped() {
    return skipped;
  }

  /** Two masked spans of each of the documents {@code docs}, in order. */
  public MaskedSpans sample(int[] docs, SplitMix64 random) {
    List<long[]> ids = new ArrayList<>(2 * docs.length);
    List<long[]> labels = new ArrayList<>(2 * docs.length);
    for (int d : docs) {
      long[][] passages = documents.get(d);
      for (int s = 0; s < 2; s++) {
        long[] doc = passages.length == 1 ? passages[0] : passages[random.nextInt(passages.length)];
        int length = Math.min(config.spanTokens(), doc.length);
        int start = random.nextInt(doc.length - length + 1);
        long[] row = new long[length + 2];
        long[] label = new long[length + 2];
        java.util.Arrays.fill(label, MaskedSpans.IGNORED);
        row[0] = special.cls();
        System.arraycopy(doc, start, row, 1, length);
        row[length + 1] = special.sep();
        mask(row, label, length, random);
        ids.add(row);
        labels.add(label);
      }
    }
    return new MaskedSpans(ids, labels);
  }

  private void mask(long[] row, long[] label, int length, SplitMix64 random) {
    int count = Math.max(1, (int) Math.round(config.maskProbability() * length));
    int[] positions = new int[length];
    for (int i = 0; i < length; i++) {
      positions[i] = i + 1;
    }
    for (int k = 0; k < count; k++) {   // a partial shuffle picks count distinct positions
      int pick = k + random.nextInt(length - k);
      int p = positions[pick];
      positions[pick] = positions[k];
      positions[k] = p;
      label[p] = row[p];
      double r = random.nextDouble();
      if (r < 0.8) {
        row[p] = special.mask();
      } else if (r < 0.9) {
        row[p] = random.nextInt(special.vocabSize());
      }
    }
  }
}
