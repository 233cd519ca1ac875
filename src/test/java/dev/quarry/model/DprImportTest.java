package dev.quarry.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.cli.QuarryCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DprImportTest {
  private static final List<String> TEXTS = List.of("who wrote the iliad", "Homer is the author of the Iliad.");
  @TempDir
  Path tmp;

  /** A Hugging Face DPR directory holding the tiny model {@code bert}'s weights under {@code prefix}. */
  private static Path dprDirectory(Path bert, Path dir, String architecture, String prefix) throws Exception {
    Files.createDirectories(dir);
    List<NamedTensor> renamed = new ArrayList<>();
    Safetensors.read(bert.resolve(ModelDirectory.WEIGHTS)).forEach((name, t) ->
        renamed.add(new NamedTensor(prefix + name, t.shape(), t.values())));
    int h = ModelDirectory.config(bert).hiddenSize();
    renamed.add(new NamedTensor(prefix + "pooler.dense.weight", new long[] {h, h}, new float[h * h]));   // unused
    Safetensors.write(dir.resolve(ModelDirectory.WEIGHTS), renamed, Map.of("format", "pt"));
    ObjectNode config = ModelDirectory.config(bert).toJson();
    config.put("model_type", "dpr");
    config.putArray("architectures").add(architecture);
    config.put("projection_dim", 0);
    Files.writeString(dir.resolve(ModelDirectory.CONFIG), config.toPrettyString());
    Files.copy(bert.resolve(ModelDirectory.TOKENIZER), dir.resolve(ModelDirectory.TOKENIZER));
    return dir;
  }

  private static int cli(String... args) {
    return QuarryCli.run(args, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
  }

  @Test
  void importsBothTowersAsADualEncoderThatEmbedsAsTheOriginalWeightsDo() throws Exception {
    Path q = TinyModels.create(tmp.resolve("q-bert"), DprImport.RECIPE, 1);
    Path c = TinyModels.create(tmp.resolve("c-bert"), DprImport.RECIPE, 2);
    Path question = dprDirectory(q, tmp.resolve("dpr-q"), "DPRQuestionEncoder", "question_encoder.bert_model.");
    Path context = dprDirectory(c, tmp.resolve("dpr-c"), "DPRContextEncoder", "ctx_encoder.bert_model.");
    Path out = tmp.resolve("imported");
    assertThat(cli("import-dpr", "--question-encoder", question.toString(), "--context-encoder", context.toString(),
        "--output", out.toString())).isZero();
    assertThat(ModelDirectory.isDualEncoder(out)).isTrue();
    assertThat(ModelDirectory.recipe(out)).isEqualTo(DprImport.RECIPE);
    try (TextEncoder imported = TextEncoder.load(out); TextEncoder qRef = TextEncoder.load(q);
        TextEncoder cRef = TextEncoder.load(c)) {
      assertThat(imported.encodeQueries(TEXTS, 2, dev.quarry.util.Progress.NONE))
          .isDeepEqualTo(qRef.encodeQueries(TEXTS, 2, dev.quarry.util.Progress.NONE));
      assertThat(imported.encodePassages(TEXTS, 2, dev.quarry.util.Progress.NONE))
          .isDeepEqualTo(cRef.encodePassages(TEXTS, 2, dev.quarry.util.Progress.NONE));
      assertThat(imported.encodeQueries(TEXTS, 2, dev.quarry.util.Progress.NONE))
          .isNotEqualTo(cRef.encodeQueries(TEXTS, 2, dev.quarry.util.Progress.NONE));
    }
  }

  @Test
  void wrongOrderPickleOnlyAndDirectUseAreErrorsThatSayWhatToDo() throws Exception {
    Path q = TinyModels.create(tmp.resolve("q-bert"), DprImport.RECIPE, 1);
    Path question = dprDirectory(q, tmp.resolve("dpr-q"), "DPRQuestionEncoder", "question_encoder.bert_model.");
    Path context = dprDirectory(q, tmp.resolve("dpr-c"), "DPRContextEncoder", "ctx_encoder.bert_model.");
    assertThatThrownBy(() -> DprImport.importDualEncoder(context, question, tmp.resolve("x")))
        .hasMessageContaining("is a DPRContextEncoder, not a DPRQuestionEncoder");
    assertThatThrownBy(() -> DprImport.importDualEncoder(q, context, tmp.resolve("x")))
        .hasMessageContaining("model_type is \"bert\", not dpr");
    Files.move(context.resolve(ModelDirectory.WEIGHTS), context.resolve("pytorch_model.bin"));
    assertThatThrownBy(() -> DprImport.importDualEncoder(question, context, tmp.resolve("x")))
        .hasMessageContaining("pytorch_model.bin").hasMessageContaining("safe_serialization=True");
    assertThat(tmp.resolve("x")).doesNotExist();
    assertThatThrownBy(() -> ModelDirectory.config(question)).hasMessageContaining("quarry import-dpr");
  }
}
