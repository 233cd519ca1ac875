package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.model.ModelDirectory;
import dev.quarry.model.ModelExport;
import dev.quarry.model.NamedTensor;
import dev.quarry.model.OnnxBertImporter;
import dev.quarry.model.OnnxBertSession;
import dev.quarry.model.OnnxGraph;
import dev.quarry.model.Safetensors;
import dev.quarry.rerank.CrossEncoder;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quarry export}: the files an ONNX export holds, and what reading them back gives. */
class ExportCommandTest {
  @TempDir
  static Path cache;

  @TempDir
  Path tmp;

  @Test
  void encoderExportHoldsTheModelsOwnWeightsAndItsRecipe() throws Exception {
    Path out = tmp.resolve("minilm-onnx");
    QuarryCliTest.Result r = QuarryCliTest.run("export", "--model", "all-minilm-l6-v2", "--output", out.toString(),
        "--cache", cache.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(out.resolve(ModelExport.ONNX_FILE)).isRegularFile();
    assertThat(out.resolve("tokenizer.json")).isRegularFile();
    assertThat(Files.readString(out.resolve("quarry.json"))).contains("\"pooling\" : \"mean\"");
    assertThat(Files.readString(out.resolve("1_Pooling/config.json"))).contains("\"pooling_mode_mean_tokens\" : true");
    assertThat(out.resolve("model.safetensors")).doesNotExist();
    assertThat(tmp).isDirectoryNotContaining("glob:**.writing-*");

    // read back as Quarry reads any BERT ONNX file: every weight equals the source's, bit for bit
    Map<String, NamedTensor> source = Safetensors.read(ModelDirectory.resolve("all-minilm-l6-v2", cache)
        .resolve(ModelDirectory.WEIGHTS));
    Map<String, NamedTensor> back;
    try (InputStream in = Files.newInputStream(out.resolve(ModelExport.ONNX_FILE))) {
      back = OnnxBertImporter.weights(OnnxGraph.read(in, "export"), "export");
    }
    assertThat(back.keySet()).containsAll(source.keySet());
    List<String> differ = source.keySet().stream()
        .filter(name -> !java.util.Arrays.equals(back.get(name).values(), source.get(name).values())).toList();
    assertThat(differ).as("weights that differ after the round trip").isEmpty();
  }

  @Test
  void int8ExportIsSmallerAndRejectedPrecisionsSayWhy() throws Exception {
    Path fp32 = tmp.resolve("fp32");
    Path int8 = tmp.resolve("int8");
    assertThat(QuarryCliTest.run("export", "--model", "all-minilm-l6-v2", "--output", fp32.toString(),
        "--cache", cache.toString()).code()).isZero();
    assertThat(QuarryCliTest.run("export", "--model", "all-minilm-l6-v2", "--precision", "int8", "--output",
        int8.toString(), "--cache", cache.toString()).code()).isZero();
    long a = Files.size(fp32.resolve(ModelExport.ONNX_FILE));
    long b = Files.size(int8.resolve(ModelExport.ONNX_FILE));
    // the Linear weights (21 of 90 MB) shrink 4x; embeddings stay fp32
    assertThat(b).isLessThan(a - 12_000_000L);

    QuarryCliTest.Result bad = QuarryCliTest.run("export", "--model", "all-minilm-l6-v2", "--precision", "fp16",
        "--output", tmp.resolve("x").toString(), "--cache", cache.toString());
    assertThat(bad.code()).as("a usage error").isEqualTo(2);
    assertThat(bad.err()).contains("Invalid value for option '--precision': expected one of [FP32, INT8] "
        + "(case-insensitive) but was 'fp16'");
    assertThat(tmp.resolve("x")).doesNotExist();
  }

  @Test
  void crossEncoderExportGivesTheLogitsOfTheModel() throws Exception {
    Path ceDir = tmp.resolve("ce");
    try (CrossEncoder ce = CrossEncoder.fromEncoder(ModelDirectory.resolve("all-minilm-l6-v2", cache), 64, 3)) {
      ce.save(ceDir);
    }
    Path out = tmp.resolve("ce-onnx");
    QuarryCliTest.Result r = QuarryCliTest.run("export", "--model", ceDir.toString(), "--output", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("cross-encoder");
    assertThat(Files.readString(out.resolve("quarry.json"))).contains("quarry-cross-encoder/1");
    try (CrossEncoder ce = CrossEncoder.load(ceDir);
        OnnxBertSession session = OnnxBertSession.open(Files.readAllBytes(out.resolve(ModelExport.ONNX_FILE)), 2,
            "export")) {
      CrossEncoder.Pairs pairs = ce.tokenize(List.of("what causes fever", "aspirin dose"),
          List.of("Fever is caused by pyrogens released during infection.", "The usual dose of aspirin is 75 mg."));
      float[] onnx = session.run(pairs.ids(), pairs.types());
      float[] torch = ce.score(List.of("what causes fever", "aspirin dose"),
          List.of("Fever is caused by pyrogens released during infection.", "The usual dose of aspirin is 75 mg."), 2);
      assertThat(onnx).hasSize(2);
      for (int i = 0; i < 2; i++) {
        assertThat((double) onnx[i]).isCloseTo(torch[i], org.assertj.core.api.Assertions.within(1e-5));
      }
    }
  }

  @Test
  void anExportedDirectoryLoadsBackWithTheRecipeItsFilesState() throws Exception {
    Path out = tmp.resolve("bge-onnx");
    assertThat(QuarryCliTest.run("export", "--model", "bge-small-en-v1.5", "--output", out.toString(), "--cache",
        cache.toString()).code()).isZero();
    // the sentence-transformers files alone say CLS, normalized, the query prompt, 512 tokens
    Files.delete(out.resolve("quarry.json"));
    assertThat(ModelDirectory.recipe(out)).isEqualTo(ModelDirectory.recipe(ModelDirectory.resolve("bge-small-en-v1.5",
        cache)));
    Path imported = ModelDirectory.resolve(out.toString(), tmp.resolve("cache2"));
    Map<String, NamedTensor> a = Safetensors.read(imported.resolve(ModelDirectory.WEIGHTS));
    Map<String, NamedTensor> b = Safetensors.read(ModelDirectory.resolve("bge-small-en-v1.5", cache)
        .resolve(ModelDirectory.WEIGHTS));
    assertThat(a.keySet()).isEqualTo(b.keySet());
    assertThat(a.keySet().stream().filter(n -> !java.util.Arrays.equals(a.get(n).values(), b.get(n).values())))
        .isEmpty();
    assertThat(ModelDirectory.resolve(out.toString(), tmp.resolve("cache2"))).as("imported once").isEqualTo(imported);

    // no recipe at all: an error that says what is missing
    Path bare = tmp.resolve("bare");
    Files.createDirectories(bare);
    for (String f : List.of("model.onnx", "config.json", "tokenizer.json")) {
      Files.copy(out.resolve(f), bare.resolve(f));
    }
    assertThatThrownBy(() -> ModelDirectory.resolve(bare.toString(), tmp.resolve("cache3")))
        .hasMessageContaining("states no recipe").hasMessageContaining("1_Pooling/config.json");
  }

  @Test
  void int8GraphsAndPickledWeightsAreRefusedWithTheWayOut() throws Exception {
    Path int8 = tmp.resolve("int8");
    assertThat(QuarryCliTest.run("export", "--model", "all-minilm-l6-v2", "--precision", "int8", "--output",
        int8.toString(), "--cache", cache.toString()).code()).isZero();
    assertThatThrownBy(() -> ModelDirectory.resolve(int8.toString(), tmp.resolve("c")))
        .hasMessageContaining("int8 graph cannot be imported");
    Path pickle = tmp.resolve("pickle");
    Files.createDirectories(pickle);
    Files.writeString(pickle.resolve("pytorch_model.bin"), "not read");
    Files.writeString(pickle.resolve("config.json"), "{}");
    QuarryCliTest.Result r = QuarryCliTest.run("export", "--model", pickle.toString(), "--output",
        tmp.resolve("x").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("pytorch_model.bin").contains("safe_serialization=True").doesNotContain("at dev.");
  }
}
