package dev.quarry.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.data.BeirFormat;
import dev.quarry.data.MsMarcoFormat;
import dev.quarry.data.Qrels;
import dev.quarry.data.Run;
import dev.quarry.data.ScoredDoc;
import dev.quarry.data.TrecFormat;
import dev.quarry.model.NamedTensor;
import dev.quarry.model.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fault injection in the spirit of Lucene's MockDirectoryWrapper: each writer built on {@link AtomicOutput} is made to
 * fail at each of its writes, its fsync and its rename in turn. After every fault the previous output must be intact,
 * no temporary file may remain, and the next run (without faults) must succeed.
 */
class AtomicFaultsTest {
  @TempDir
  Path tmp;

  @AfterEach
  void noFaults() {
    AtomicOutput.faults = AtomicOutput.Faults.NONE;
  }

  /** Writers of Quarry's outputs, each writing version 1 or 2 of its file. */
  enum Writer {
    TREC_RUN((file, v) -> TrecFormat.writeRun(file, run(v))),
    MSMARCO_RUN((file, v) -> MsMarcoFormat.writeRun(file, run(v))),
    BEIR_QRELS((file, v) -> BeirFormat.writeQrels(file, qrels(v))),
    TREC_QRELS((file, v) -> TrecFormat.writeQrels(file, qrels(v))),
    SAFETENSORS((file, v) -> Safetensors.write(file, List.of(new NamedTensor("w", new long[] {300},
        new float[300])), Map.of("version", Integer.toString(v)))),
    TEXT((file, v) -> AtomicOutput.writeString(file, ("version " + v + "\n").repeat(5000)));

    final BiConsumer<Path, Integer> write;

    Writer(BiConsumer<Path, Integer> write) {
      this.write = write;
    }
  }

  static Run run(int version) {
    Run.Builder b = Run.builder("v" + version);
    List<ScoredDoc> docs = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      docs.add(new ScoredDoc("d" + i, version * 10_000 - i));
    }
    b.put("q1", docs);
    return b.build();
  }

  static Qrels qrels(int version) {
    Qrels.Builder b = Qrels.builder(Path.of("generated"));
    for (int i = 0; i < 3000; i++) {
      b.add("q" + i, "d" + version, 1, 0);
    }
    return b.build();
  }

  @ParameterizedTest
  @EnumSource(Writer.class)
  void everyFaultLeavesThePreviousOutputAndTheNextRunSucceeds(Writer writer) throws Exception {
    Path file = tmp.resolve("out");
    writer.write.accept(file, 1);
    byte[] v1 = Files.readAllBytes(file);
    Path reference = tmp.resolve("reference");
    writer.write.accept(reference, 2);
    byte[] v2 = Files.readAllBytes(reference);
    Files.delete(reference);

    List<AtomicOutput.Step> steps = new ArrayList<>();
    AtomicOutput.faults = (step, target) -> steps.add(step);
    writer.write.accept(tmp.resolve("counted"), 2);
    Files.delete(tmp.resolve("counted"));
    assertThat(steps).as("writes, then one sync and one rename").endsWith(AtomicOutput.Step.SYNC,
        AtomicOutput.Step.RENAME).contains(AtomicOutput.Step.WRITE);

    for (int fault = 0; fault < steps.size(); fault++) {
      int[] seen = {0};
      int failAt = fault;
      AtomicOutput.faults = (step, target) -> {
        if (seen[0]++ == failAt) {
          throw new IOException("injected fault at " + step);
        }
      };
      assertThatThrownBy(() -> writer.write.accept(file, 2)).as("fault %d (%s)", fault, steps.get(fault))
          .hasMessageContaining("out");
      AtomicOutput.faults = AtomicOutput.Faults.NONE;
      assertThat(Files.readAllBytes(file)).as("after fault %d (%s)", fault, steps.get(fault)).isEqualTo(v1);
      try (Stream<Path> entries = Files.list(tmp)) {
        assertThat(entries.map(p -> p.getFileName().toString())).as("no temporary file").containsExactly("out");
      }
    }
    writer.write.accept(file, 2);
    assertThat(Files.readAllBytes(file)).isEqualTo(v2);
  }
}
