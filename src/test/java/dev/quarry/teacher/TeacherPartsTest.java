package dev.quarry.teacher;

import dev.quarry.config.ConfigBinder;
import dev.quarry.config.Overrides;
import dev.quarry.data.ScoredDoc;
import dev.quarry.io.JsonLines;
import dev.quarry.rerank.Calibration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The arithmetic and the files of fusion teachers; the whole fit runs in TeacherFitTest and the pipeline tests. */
class TeacherPartsTest {
  @TempDir
  Path tmp;

  @Test
  void zScoresUseTheMemberTopHitsNotTheCandidates() {
    List<ScoredDoc> top = List.of(new ScoredDoc("a", 4), new ScoredDoc("b", 2), new ScoredDoc("c", 0));
    // mean 2, population std sqrt(8/3)
    float[] z = ZScore.normalize(new float[] {4, 2, -1}, top);
    double std = Math.sqrt(8.0 / 3);
    assertThat(z[0]).isCloseTo((float) (2 / std), within(1e-6f));
    assertThat(z[1]).isCloseTo(0f, within(1e-6f));
    assertThat(z[2]).isCloseTo((float) (-3 / std), within(1e-6f));
    assertThat(ZScore.normalize(new float[] {3}, List.of())).containsExactly(3f);
    assertThat(ZScore.normalize(new float[] {3}, List.of(new ScoredDoc("a", 5), new ScoredDoc("b", 5))))
        .containsExactly(-2f);
  }

  @Test
  void weightGridHoldsEveryCompositionSummingToOne() {
    List<double[]> grid = TeacherFit.grid(3, 10);
    assertThat(grid).hasSize(66);   // C(12, 2)
    for (double[] w : grid) {
      assertThat(w[0] + w[1] + w[2]).isCloseTo(1, within(1e-12));
      assertThat(java.util.Arrays.stream(w).min().orElseThrow()).isGreaterThanOrEqualTo(0);
    }
    assertThat(grid.get(0)).containsExactly(0, 0, 1);
    assertThat(TeacherFit.grid(1, 4)).singleElement().satisfies(w -> assertThat(w).containsExactly(1));
  }

  @Test
  void fuseIsTheWeightedSumOfFeatures() {
    float[] fused = Teacher.fuse(new float[][] {{1, 2}, {10, 20}}, new double[] {0.25, 0.75});
    assertThat(fused).containsExactly(7.75f, 15.5f);
  }

  @Test
  void aFittedTeacherRoundTripsAndBadFilesNameTheFieldAndFile() throws Exception {
    FittedTeacher fitted = new FittedTeacher(List.of("bm25", "all-minilm-l6-v2"), new double[] {0.6, 0.4}, 100,
        new Calibration(1.5, -6, 1000, 30), JsonLines.MAPPER.createObjectNode().put("queries", 100));
    fitted.save(tmp);
    assertThat(FittedTeacher.isTeacher(tmp)).isTrue();
    FittedTeacher back = FittedTeacher.load(tmp);
    assertThat(back.members()).isEqualTo(fitted.members());
    assertThat(back.weights()).containsExactly(0.6, 0.4);
    assertThat(back.normalizationDepth()).isEqualTo(100);
    assertThat(back.calibration()).isEqualTo(fitted.calibration());
    assertThat(back.dev().path("queries").asInt()).isEqualTo(100);

    Path file = tmp.resolve(FittedTeacher.FILE);
    Files.writeString(file, Files.readString(file).replace("\"weights\"", "\"weight\""));
    assertThatThrownBy(() -> FittedTeacher.load(tmp)).hasMessageContaining(file.toString())
        .hasMessageContaining("members and weights must be arrays of one length");
    Files.writeString(file, "{\"format\": \"quarry-teacher/1\", ");
    assertThatThrownBy(() -> FittedTeacher.load(tmp)).hasMessageContaining(file.toString())
        .hasMessageContaining("cannot read a teacher");
    Files.writeString(file, "{\"format\": \"other\"}");
    assertThatThrownBy(() -> FittedTeacher.load(tmp)).hasMessageContaining("format must be quarry-teacher/1");
  }

  @Test
  void configRejectsWhatCannotBeFitted() {
    assertThat(parse("teacher: {members: [bm25, e5-small-v2]}").weightStep()).isEqualTo(0.1);
    assertThatThrownBy(() -> parse("teacher: {members: []}")).hasMessageContaining("teacher.members");
    assertThatThrownBy(() -> parse("teacher: {members: [bm25, bm25]}")).hasMessageContaining("each once");
    assertThatThrownBy(() -> parse("teacher: {members: [bm25], weight_step: 0.3}"))
        .hasMessageContaining("weight_step must divide 1");
    assertThatThrownBy(() -> parse("teacher: {members: [bm25], dev: {queries: 0}}"))
        .hasMessageContaining("dev.queries must be at least 1");
    assertThatThrownBy(() -> parse("teacher: {members: [bm25], weights: [1]}"))
        .hasMessageContaining("unknown key teacher.weights");
  }

  private static TeacherConfig parse(String yaml) {
    return ConfigBinder.parse(yaml, Path.of("t.yaml"), TeacherConfig.File.class, Overrides.NONE).teacher();
  }
}
