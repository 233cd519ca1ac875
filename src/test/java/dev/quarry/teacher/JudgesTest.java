package dev.quarry.teacher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.quarry.data.BeirFormat;
import dev.quarry.data.Datasets;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.InferenceEngine;
import dev.quarry.model.Pooling;
import dev.quarry.model.TinyModels;
import dev.quarry.rerank.Calibration;
import dev.quarry.util.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JudgesTest {
  @TempDir
  Path tmp;

  private Path judgeDir(String name, String weights) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Files.writeString(dir.resolve("quarry.json"), "{\"format\": \"quarry-cross-encoder/1\"}");
    Files.writeString(dir.resolve("model.safetensors"), weights);
    Files.createDirectories(dir.resolve("checkpoints"));   // folders are not part of the judge
    return dir;
  }

  @Test
  void theFingerprintFollowsTheFilesContentsNotTheFolder() throws Exception {
    String a = Judges.fingerprint(judgeDir("a", "weights"));
    assertThat(Judges.fingerprint(judgeDir("b", "weights"))).as("a copy elsewhere is the same judge").isEqualTo(a);
    assertThat(Judges.fingerprint(judgeDir("c", "weightz"))).as("retrained weights are another judge").isNotEqualTo(a);
    Path d = judgeDir("d", "weights");
    Files.writeString(d.resolve("calibration.json"), "{}");
    assertThat(Judges.fingerprint(d)).as("a file added (a calibration) makes another judge").isNotEqualTo(a);
    Path e = judgeDir("e", "weights");
    Files.writeString(e.resolve("checkpoints").resolve("step-1"), "x");
    assertThat(Judges.fingerprint(e)).isEqualTo(a);
  }

  @Test
  void aTeachersFingerprintFollowsItsMembersModels() throws Exception {
    Path data = tmp.resolve("data");
    List<Passage> passages = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      passages.add(new Passage("d" + i, "", "passage " + i + " on subject " + (i % 3)));
    }
    BeirFormat.writeCorpus(data.resolve("corpus.jsonl"), passages);
    BeirFormat.writeQueries(data.resolve("queries.jsonl"), List.of(new Query("q1", "subject 1")));
    EncoderRecipe recipe = new EncoderRecipe(Pooling.MEAN, true, "", "", 16, 16);
    Path model = TinyModels.create(tmp.resolve("model"), recipe, 4);
    Path teacherDir = Files.createDirectories(tmp.resolve("teacher"));
    new FittedTeacher(List.of("bm25", model.toString()), new double[] {0.5, 0.5}, 3, Calibration.IDENTITY,
        JsonNodeFactory.instance.objectNode()).save(teacherDir);
    String before = fingerprintOf(teacherDir, data);
    assertThat(fingerprintOf(teacherDir, data)).as("the same teacher opened again").isEqualTo(before);
    TinyModels.create(model, recipe, 5);   // the member retrained in place: teacher.json unchanged
    assertThat(fingerprintOf(teacherDir, data)).as("a member's new weights make another judge")
        .isNotEqualTo(before);
  }

  private Path cache() {
    return tmp.resolve("cache");
  }

  private String fingerprintOf(Path teacherDir, Path data) {
    try (Judges.Opened opened = Judges.open(teacherDir, 8, InferenceEngine.DEFAULT, Datasets.open(data), cache(),
        Progress.NONE)) {
      return opened.fingerprint();
    }
  }
}
