package dev.quarry.teacher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
