package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.data.Datasets;
import dev.quarry.io.JsonLines;
import dev.quarry.model.ModelDirectory;
import dev.quarry.model.TextEncoder;
import dev.quarry.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client outside Quarry loads an export: ONNX Runtime for Node ({@code scripts/onnx-client/check.mjs}) embeds real
 * SciFact passages from the exported {@code model.onnx} with the pooling its {@code quarry.json} states, and gets
 * Quarry's embeddings to 1e-4. Opt-in (group {@code client}): it needs Node and installs {@code onnxruntime-node}
 * from npm on first use. Run: {@code bin/test -Dtest=OnnxClientTest -Dquarry.groups=client -Dquarry.excludedGroups=}.
 */
@Tag("client")
class OnnxClientTest {
  @TempDir
  Path tmp;

  @Test
  void nodeClientGetsQuarrysEmbeddings() throws Exception {
    Path scripts = Path.of("scripts/onnx-client").toAbsolutePath();
    if (!Files.isDirectory(scripts.resolve("node_modules/onnxruntime-node"))) {
      // the package's install script fetches GPU libraries from nuget.org; the CPU library is in the npm tarball
      assertThat(exec(scripts, "npm", "install", "--no-audit", "--no-fund", "--ignore-scripts")).isZero();
    }
    for (String model : List.of("all-minilm-l6-v2", "bge-small-en-v1.5")) {
      Path export = tmp.resolve(model);
      QuarryCliTest.Result r = QuarryCliTest.run("export", "--model", model, "--output", export.toString(),
          "--cache", tmp.resolve("cache").toString());
      assertThat(r.code()).as(r.err()).isZero();
      List<String> texts = new ArrayList<>();
      Datasets.open(SharedData.scifact()).forEachPassage(p -> {
        if (texts.size() < 24) {
          texts.add(p.titleAndText());
        }
      });
      ObjectNode cases = JsonLines.MAPPER.createObjectNode();
      ArrayNode rows = cases.putArray("rows");
      ArrayNode expected = cases.putArray("expected");
      try (TextEncoder encoder = TextEncoder.load(ModelDirectory.resolve(model, tmp.resolve("cache")))) {
        long[][] ids = encoder.tokenizePassages(texts);
        for (long[] row : ids) {
          ArrayNode a = rows.addArray();
          for (long id : row) {
            a.add(id);
          }
          float[] v = encoder.encodeBatch(TextEncoder.Side.PASSAGE, List.of(row))[0];
          ArrayNode e = expected.addArray();
          for (float x : v) {
            e.add(x);
          }
        }
      }
      Path casesFile = tmp.resolve(model + "-cases.json");
      JsonLines.MAPPER.writeValue(casesFile.toFile(), cases);
      Path log = tmp.resolve(model + "-node.txt");
      int code = exec(scripts, log, "node", "check.mjs", export.toString(), casesFile.toString());
      String output = Files.readString(log);
      assertThat(code).as(output).isZero();
      JsonNode result = JsonLines.MAPPER.readTree(output.lines().filter(l -> l.startsWith("{")).findFirst()
          .orElseThrow());
      assertThat(result.get("rows").asInt()).isEqualTo(24);
      assertThat(result.get("max_abs_diff").asDouble()).as(model).isLessThan(1e-4);
    }
  }

  private int exec(Path dir, String... command) throws Exception {
    return exec(dir, tmp.resolve("npm.txt"), command);
  }

  private static int exec(Path dir, Path log, String... command) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("%s finished", String.join(" ", command)).isTrue();
    return p.exitValue();
  }
}
