package dev.quarry.rocketqa;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.data.BeirFormat;
import dev.quarry.data.Dataset;
import dev.quarry.data.Datasets;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.NamedTensor;
import dev.quarry.model.Pooling;
import dev.quarry.model.TinyModels;
import dev.quarry.rerank.CrossEncoder;
import dev.quarry.util.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DenoiserTest {
  @TempDir
  Path tmp;

  private Dataset dataset() throws Exception {
    Path data = tmp.resolve("data");
    List<Passage> passages = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      passages.add(new Passage("d" + i, "", "passage " + i));
    }
    BeirFormat.writeCorpus(data.resolve("corpus.jsonl"), passages);
    BeirFormat.writeQueries(data.resolve("queries.jsonl"), List.of(new Query("q1", "one"), new Query("q2", "two")));
    Files.createDirectories(data.resolve("qrels"));
    Files.writeString(data.resolve("qrels/train.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td5\t1\n");
    return Datasets.open(data);
  }

  /** A cross-encoder whose classifier bias puts every probability near 0 (bias -20) or 1 (bias +20). */
  private static void setBias(CrossEncoder ce, float bias) {
    Map<String, NamedTensor> w = new HashMap<>();
    ce.weights().exportWeights().forEach(t -> w.put(t.name(), t));
    w.put("classifier.bias", new NamedTensor("classifier.bias", new long[] {1}, new float[] {bias}));
    w.put("classifier.weight", new NamedTensor("classifier.weight", w.get("classifier.weight").shape(),
        new float[w.get("classifier.weight").values().length]));
    ce.weights().loadWeights(w);
  }

  @Test
  void keepsConfidentNegativesAndLabeledPositivesAndCountsPerRank() throws Exception {
    Dataset d = dataset();
    Run.Builder b = Run.builder("md0");
    for (int i = 0; i < 4; i++) {
      b.add("q1", new ScoredDoc("d" + i, 10 - i));       // d1 (rank 2) is q1's labeled positive
    }
    b.add("q2", new ScoredDoc("d4", 3)).add("q2", new ScoredDoc("d5", 2)).add("q2", new ScoredDoc("d0", 1));
    Run run = b.build();
    Path encoder = TinyModels.create(tmp.resolve("enc"), new EncoderRecipe(Pooling.MEAN, true, "", "", 32, 32), 1);
    try (CrossEncoder ce = CrossEncoder.fromEncoder(encoder, 32, 1)) {
      setBias(ce, -20);
      Denoiser.Result confident = new Denoiser(ce, 4).denoise(d, "train", run, 3, Denoiser.Thresholds.ROCKETQA, "dn",
          Progress.NONE);
      assertThat(confident.denoised().docs("q1")).extracting(ScoredDoc::docId).containsExactly("d0", "d1", "d2");
      assertThat(confident.denoised().docs("q2")).extracting(ScoredDoc::docId).containsExactly("d4", "d5", "d0");
      JsonNode report = confident.report().toJson();
      assertThat(report.path("ranks").get(1).path("labeled_positive").asLong()).isEqualTo(2);   // d1 and d5
      assertThat(report.path("total").path("retrieved").asLong()).isEqualTo(6);                // depth 3, twice
      assertThat(report.path("total").path("kept_negative").asLong()).isEqualTo(4);
      assertThat(report.path("total").path("dropped_ratio").asDouble()).isZero();

      setBias(ce, 20);
      Denoiser.Result doubtful = new Denoiser(ce, 4).denoise(d, "train", run, 3, Denoiser.Thresholds.ROCKETQA, "dn",
          Progress.NONE);
      assertThat(doubtful.denoised().docs("q1")).extracting(ScoredDoc::docId).containsExactly("d1");
      assertThat(doubtful.denoised().docs("q2")).extracting(ScoredDoc::docId).containsExactly("d5");
      assertThat(doubtful.report().toJson().path("total").path("judged_positive_ratio").asDouble()).isEqualTo(1.0);
    }
    assertThatThrownBy(() -> new Denoiser.Thresholds(0.5, 0.4)).hasMessageContaining("negative_below <= positive_above");
  }
}
