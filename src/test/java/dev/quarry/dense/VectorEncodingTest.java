package dev.quarry.dense;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.io.JsonLines;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.Pooling;
import dev.quarry.model.TextEncoder;
import dev.quarry.model.TinyModels;
import dev.quarry.util.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streamed texts encode to the same artifact as a list, across shards and through a resume. */
class VectorEncodingTest {
  @TempDir
  Path tmp;

  private static List<String> texts(int n) {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      texts.add("passage " + i + " about " + "topic ".repeat(1 + i % 5) + i * 7);
    }
    return texts;
  }

  private static List<String> ids(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add("d" + i);
    }
    return ids;
  }

  private static List<String> files(Path dir) throws Exception {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("shard-") || n.equals("manifest.json"))
          .sorted().toList();
    }
  }

  @Test
  void streamedTextsGiveTheListsArtifactAcrossShardsAndThroughAResume() throws Exception {
    Path model = TinyModels.create(tmp.resolve("model"), new EncoderRecipe(Pooling.MEAN, true, "", "", 16, 16), 3);
    List<String> texts = texts(23);
    List<String> ids = ids(23);
    try (TextEncoder encoder = TextEncoder.load(model)) {
      VectorEncoding.encode(encoder, TextEncoder.Side.PASSAGE, ids, texts, tmp.resolve("list"), 4, 7,
          JsonLines.MAPPER.createObjectNode(), Progress.NONE);
      AtomicInteger fed = new AtomicInteger();
      VectorEncoding.Texts streamed = sink -> texts.forEach(t -> {
        fed.incrementAndGet();
        sink.accept(t);
      });
      // a run that dies after its second shard, then a resumed one
      Progress crash = (name, total) -> new Progress.Task() {
        long done;

        @Override
        public void step(long n) {
          done += n;
          if (done >= 14 && done < 23) {
            throw new IllegalStateException("simulated crash");
          }
        }

        @Override
        public void close() {
        }
      };
      assertThatThrownBy(() -> VectorEncoding.encode(encoder, TextEncoder.Side.PASSAGE, ids, streamed,
          tmp.resolve("stream"), 4, 7, JsonLines.MAPPER.createObjectNode(), crash)).hasMessage("simulated crash");
      VectorEncoding.Result resumed = VectorEncoding.encode(encoder, TextEncoder.Side.PASSAGE, ids, streamed,
          tmp.resolve("stream"), 4, 7, JsonLines.MAPPER.createObjectNode(), Progress.NONE);
      assertThat(resumed.resumedFrom()).isEqualTo(7);
      assertThat(files(tmp.resolve("stream"))).isEqualTo(files(tmp.resolve("list"))).hasSize(9);   // manifest, 4 shards of .ids and .vec
      for (String f : files(tmp.resolve("list"))) {
        assertThat(Files.mismatch(tmp.resolve("list").resolve(f), tmp.resolve("stream").resolve(f))).as(f)
            .isEqualTo(-1);
      }
      assertThatThrownBy(() -> VectorEncoding.encode(encoder, TextEncoder.Side.PASSAGE, ids,
          sink -> texts.subList(0, 20).forEach(sink), tmp.resolve("short"), 4, 7,
          JsonLines.MAPPER.createObjectNode(), Progress.NONE)).hasMessage("23 ids but 20 texts");
    }
  }
}
