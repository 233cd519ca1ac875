package dev.quarry.condenser;

import dev.quarry.data.Passage;
import dev.quarry.model.BundledModel;
import dev.quarry.model.ModelDirectory;
import dev.quarry.random.SplitMix64;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpanSamplerTest {
  @TempDir
  Path tmp;
  Path tokenizer;
  SpecialTokens special;

  @BeforeEach
  void setUp() throws Exception {
    tokenizer = tmp.resolve(ModelDirectory.TOKENIZER);
    try (InputStream in = getClass().getResourceAsStream(BundledModel.ALL_MINILM_L6_V2.tokenizerResource())) {
      Files.copy(in, tokenizer);
    }
    special = SpecialTokens.read(tokenizer);
  }

  @Test
  void readsBertsSpecialPieces() {
    assertThat(special).isEqualTo(new SpecialTokens(101, 102, 103, 30522));
  }

  @Test
  void twoMaskedSpansPerDocumentBertsWayAndAFunctionOfTheSeed() {
    String longText = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        + "sixteen seventeen eighteen nineteen twenty twenty-one";
    List<Passage> corpus = List.of(new Passage("a", "", longText), new Passage("b", "", "too short"),
        new Passage("c", "Title", "several words of a medium length passage here"));
    CondenserConfig config = new CondenserConfig(1, 2, 10, 4, 0.3, 1, 1);
    SpanSampler sampler = new SpanSampler(corpus, tokenizer, special, config);
    assertThat(sampler.size()).isEqualTo(2);
    assertThat(sampler.skipped()).isEqualTo(1);

    MaskedSpans spans = sampler.sample(new int[] {0, 1}, new SplitMix64(4));
    assertThat(spans.inputIds()).hasSize(4);
    for (int s = 0; s < 4; s++) {
      long[] ids = spans.inputIds().get(s);
      long[] labels = spans.labels().get(s);
      assertThat(ids.length).isLessThanOrEqualTo(12);
      assertThat(ids[0]).isEqualTo(special.cls());
      assertThat(ids[ids.length - 1]).isEqualTo(special.sep());
      assertThat(labels[0]).isEqualTo(MaskedSpans.IGNORED);
      assertThat(labels[labels.length - 1]).isEqualTo(MaskedSpans.IGNORED);
      long masked = java.util.Arrays.stream(labels).filter(l -> l != MaskedSpans.IGNORED).count();
      assertThat(masked).as("30% of the span's pieces").isEqualTo(Math.round(0.3 * (ids.length - 2)));
    }
    assertThat(spans.inputIds().get(0)).as("the long document's two spans start apart or mask apart")
        .isNotEqualTo(spans.inputIds().get(1));
    MaskedSpans again = sampler.sample(new int[] {0, 1}, new SplitMix64(4));
    for (int s = 0; s < 4; s++) {
      assertThat(again.inputIds().get(s)).isEqualTo(spans.inputIds().get(s));
      assertThat(again.labels().get(s)).isEqualTo(spans.labels().get(s));
    }
  }

  @Test
  void theEightyTenTenRuleHoldsOverManyDraws() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      text.append("word").append(i % 50).append(' ');
    }
    CondenserConfig config = new CondenserConfig(1, 2, 100, 4, 0.15, 1, 1);
    SpanSampler sampler = new SpanSampler(List.of(new Passage("a", "", text.toString())), tokenizer, special,
        config);
    long masked = 0;
    long toMask = 0;
    long kept = 0;
    SplitMix64 random = new SplitMix64(1);
    for (int draw = 0; draw < 400; draw++) {
      MaskedSpans spans = sampler.sample(new int[] {0}, random);
      for (int s = 0; s < 2; s++) {
        long[] ids = spans.inputIds().get(s);
        long[] labels = spans.labels().get(s);
        for (int t = 0; t < ids.length; t++) {
          if (labels[t] != MaskedSpans.IGNORED) {
            masked++;
            toMask += ids[t] == special.mask() ? 1 : 0;
            kept += ids[t] == labels[t] ? 1 : 0;
          }
        }
      }
    }
    assertThat((double) toMask / masked).isBetween(0.78, 0.82);
    assertThat((double) kept / masked).isBetween(0.085, 0.115);
  }

  @Test
  void aTokenizerWithoutAWordPieceVocabularyIsAClearError() throws Exception {
    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, "{\"model\":{\"type\":\"BPE\"}}");
    assertThatThrownBy(() -> SpecialTokens.read(bad)).hasMessageContaining("bad.json")
        .hasMessageContaining("WordPiece");
  }

  @Test
  void passagesOfOneTitleAreOneDocumentWhoseSpansComeFromAnyOfThem() {
    // two articles of three paragraphs each (SQuAD's layout), one untitled passage, one paragraph too short
    List<Passage> corpus = List.of(
        new Passage("a1", "Alpha", "apple apple apple apple apple apple"),
        new Passage("b1", "Beta", "river river river river river river"),
        new Passage("a2", "Alpha", "banana banana banana banana banana banana"),
        new Passage("x", "", "ocean ocean ocean ocean ocean ocean"),
        new Passage("a3", "Alpha", "cherry cherry cherry cherry cherry cherry"),
        new Passage("b2", "Beta", "mountain mountain mountain mountain mountain mountain"),
        new Passage("b3", "Beta", "short"));
    CondenserConfig config = new CondenserConfig(1, 2, 4, 4, 0.25, 1, 1);
    SpanSampler byTitle = new SpanSampler(corpus, SpanDocuments.TITLE, tokenizer, special, config);
    assertThat(byTitle.size()).isEqualTo(3);   // Alpha, Beta, the untitled passage
    assertThat(byTitle.skipped()).isEqualTo(1);
    assertThat(List.of(byTitle.passages(0), byTitle.passages(1), byTitle.passages(2))).containsExactly(3, 2, 1);
    assertThat(new SpanSampler(corpus, SpanDocuments.PASSAGE, tokenizer, special, config).size()).isEqualTo(6);
    java.util.Map<String, Long> words = new java.util.HashMap<>();
    for (String w : List.of("alpha", "apple", "banana", "cherry", "beta", "river", "mountain", "ocean")) {
      words.put(w, piece(w));
    }
    java.util.Set<String> alphaPairs = new java.util.HashSet<>();
    SplitMix64 random = new SplitMix64(9);
    for (int round = 0; round < 40; round++) {
      MaskedSpans spans = byTitle.sample(new int[] {0, 1, 2}, random);
      String[] source = new String[6];
      for (int s = 0; s < 6; s++) {
        source[s] = sourceWord(spans.inputIds().get(s), spans.labels().get(s), words);
      }
      assertThat(List.of(source[0], source[1])).allMatch(w -> List.of("apple", "banana", "cherry").contains(w));
      assertThat(List.of(source[2], source[3])).allMatch(w -> List.of("river", "mountain").contains(w));
      assertThat(List.of(source[4], source[5])).containsOnly("ocean");
      alphaPairs.add(source[0] + "+" + source[1]);
    }
    assertThat(alphaPairs).as("the pair's spans come from different paragraphs of the article too")
        .anyMatch(p -> !p.split("\\+")[0].equals(p.split("\\+")[1]));
    // one-passage documents draw no passage: PASSAGE and TITLE sample a titleless corpus alike
    List<Passage> untitled = corpus.stream().map(p -> new Passage(p.id(), "", p.text())).toList();
    MaskedSpans a = new SpanSampler(untitled, SpanDocuments.PASSAGE, tokenizer, special, config)
        .sample(new int[] {0, 3, 5}, new SplitMix64(3));
    MaskedSpans b = new SpanSampler(untitled, SpanDocuments.TITLE, tokenizer, special, config)
        .sample(new int[] {0, 3, 5}, new SplitMix64(3));
    assertThat(a.inputIds()).usingRecursiveComparison().isEqualTo(b.inputIds());
    assertThat(SpanDocuments.AUTO.resolve(dev.quarry.data.DatasetFormat.SQUAD)).isEqualTo(SpanDocuments.TITLE);
    assertThat(SpanDocuments.AUTO.resolve(dev.quarry.data.DatasetFormat.DPR)).isEqualTo(SpanDocuments.TITLE);
    assertThat(SpanDocuments.AUTO.resolve(dev.quarry.data.DatasetFormat.BEIR)).isEqualTo(SpanDocuments.PASSAGE);
    assertThatThrownBy(() -> new SpanSampler(corpus, SpanDocuments.AUTO, tokenizer, special, config))
        .hasMessageContaining("resolve");
  }

  private long piece(String word) {
    try (var t = ai.djl.huggingface.tokenizers.HuggingFaceTokenizer.builder().optTokenizerPath(tokenizer)
        .optAddSpecialTokens(false).build()) {
      return t.encode(word).getIds()[0];
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The paragraph word a span was cut from: its pieces before masking (labels hold the masked originals). */
  private static String sourceWord(long[] ids, long[] labels, java.util.Map<String, Long> words) {
    for (int i = 1; i < ids.length - 1; i++) {
      long original = labels[i] != MaskedSpans.IGNORED ? labels[i] : ids[i];
      for (var e : words.entrySet()) {
        if (e.getValue() == original && !e.getKey().equals("alpha") && !e.getKey().equals("beta")) {
          return e.getKey();
        }
      }
    }
    throw new AssertionError("no paragraph word in " + java.util.Arrays.toString(ids));
  }
}
