package dev.quarry.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.io.Checksums;
import dev.quarry.io.DataFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorWriterResumeTest {
  private static final int COUNT = 103;
  private static final int DIMENSION = 8;
  private static final int SHARD_SIZE = 10;
  private static final int SHARDS = 11;

  @TempDir
  Path tmp;

  private final long seed = VectorFixtures.seed(getClass().getSimpleName());
  private final List<String> ids = VectorFixtures.ids(COUNT);
  private final VectorWriterConfig config = VectorFixtures.config(seed, DIMENSION, SHARD_SIZE, false);

  private Path uninterrupted() {
    Path dir = tmp.resolve("uninterrupted");
    VectorFixtures.writeAll(dir, ids, config, seed, 9);
    return dir;
  }

  /** Writes rows [0, rows) in batches of 7 and stops without finish(), as a crash would. */
  private Path crashAfter(int rows) {
    Path dir = tmp.resolve("resumed");
    try (VectorWriter writer = VectorWriter.open(dir, ids, config)) {
      VectorFixtures.append(writer, seed, 0, rows, 7, config);
    }
    assertThat(dir.resolve("manifest.json")).doesNotExist();
    return dir;
  }

  /** Opens a writer again, checks where it resumes, writes the rest in batches of 5 and finishes. */
  private void resume(Path dir, int expectedResumeFrom) {
    try (VectorWriter writer = VectorWriter.open(dir, ids, config)) {
      assertThat(writer.resumeFrom()).as("seed " + seed).isEqualTo(expectedResumeFrom);
      assertThat(writer.written()).isEqualTo(expectedResumeFrom);
      VectorFixtures.append(writer, seed, writer.resumeFrom(), COUNT, 5, config);
      writer.finish();
    }
  }

  @Test
  void aCrashMidShardWithGarbageLeftBehindResumesAtTheShardStartAndEndsWithTheSameBytes() throws IOException {
    Path dir = crashAfter(47);   // shards 0-3 complete, 7 rows of shard 4 in temporary files
    assertThat(VectorFixtures.names(dir)).contains("progress.json", "shard-00003.done").doesNotContain("shard-00004.done");
    // what a kill -9 can leave: a temporary file, a truncated shard file without .done, a half-written .done
    Files.write(dir.resolve(".shard-00004.vec.8211517043.tmp"), new byte[] {1, 2, 3});
    Files.write(dir.resolve(".shard-00004.done.55.tmp"), "{\"vectors\":".getBytes());
    Files.write(dir.resolve("shard-00004.vec"), Arrays.copyOf(Files.readAllBytes(dir.resolve("shard-00003.vec")), 100));
    Files.writeString(dir.resolve("shard-00004.ids"), "doc-40\ndoc-4");

    resume(dir, 40);
    assertThat(VectorFixtures.names(dir)).isEqualTo(VectorFixtures.artifactFiles(SHARDS));
    VectorFixtures.assertSameFiles(uninterrupted(), dir);
  }

  @Test
  void aShardDamagedAfterItsDoneFileIsWrittenAgainWithEveryLaterShard() throws IOException {
    Path dir = crashAfter(75);
    VectorFixtures.flipByte(dir.resolve("shard-00002.vec"), 40);
    resume(dir, 20);
    VectorFixtures.assertSameFiles(uninterrupted(), dir);
  }

  @Test
  void aTruncatedCompletedShardIsWrittenAgain() throws IOException {
    Path dir = crashAfter(75);
    Path ids3 = dir.resolve("shard-00003.ids");
    Files.write(ids3, Arrays.copyOf(Files.readAllBytes(ids3), 10));
    resume(dir, 30);
    VectorFixtures.assertSameFiles(uninterrupted(), dir);
  }

  @Test
  void aMissingDoneFileEndsTheKeptShardsEvenIfLaterOnesLookComplete() throws IOException {
    Path dir = crashAfter(75);
    Files.delete(dir.resolve("shard-00005.done"));
    resume(dir, 50);
    VectorFixtures.assertSameFiles(uninterrupted(), dir);
  }

  @Test
  void aCrashAfterTheLastShardButBeforeTheManifestOnlyNeedsFinish() throws IOException {
    Path dir = crashAfter(COUNT);
    resume(dir, COUNT);
    VectorFixtures.assertSameFiles(uninterrupted(), dir);
  }

  @Test
  void reopeningAFinishedArtifactWithTheSameInputChangesNothing() throws IOException {
    Path dir = uninterrupted();
    String manifest = Checksums.sha256(dir.resolve("manifest.json"));
    try (VectorWriter writer = VectorWriter.open(dir, ids, config)) {
      assertThat(writer.resumeFrom()).isEqualTo(COUNT);
      assertThatThrownBy(() -> writer.append(VectorFixtures.rows(seed, 0, 1, DIMENSION, false)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("cannot append 1 rows: 103 of 103 rows are written, 0 remain");
      writer.finish();
    }
    assertThat(Checksums.sha256(dir.resolve("manifest.json"))).isEqualTo(manifest);
    assertThat(VectorFixtures.names(dir)).isEqualTo(VectorFixtures.artifactFiles(SHARDS));
    // a finished artifact that was damaged since is reported, not silently rewritten
    VectorFixtures.flipByte(dir.resolve("shard-00004.ids"), 0);
    assertThatThrownBy(() -> VectorWriter.open(dir, ids, config))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(dir.resolve("shard-00004.ids").toAbsolutePath() + ":");
  }

  @Test
  void resumingWithOtherIdsIsAnErrorThatSaysSo() {
    Path dir = crashAfter(47);
    List<String> reordered = new ArrayList<>(ids);
    Collections.swap(reordered, 0, 1);
    for (List<String> other : List.of(reordered, ids.subList(0, COUNT - 1))) {
      assertThatThrownBy(() -> VectorWriter.open(dir, other, config))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the vectors in " + dir.toAbsolutePath() + " were started with other ids: 103 ids"
              + " with SHA-256 " + Checksums.sha256(String.join("\n", ids) + "\n") + " then, " + other.size() + " ids")
          .hasMessageEndingWith("now; give the same ids in the same order, or a new folder");
    }
    // the error left the folder as it was: the same ids still resume
    resume(dir, 40);
  }

  @Test
  void resumingWithAnotherConfigIsAnError() {
    Path dir = crashAfter(47);
    VectorWriterConfig producer = VectorFixtures.config(seed + 1, DIMENSION, SHARD_SIZE, false);
    assertThatThrownBy(() -> VectorWriter.open(dir, ids, producer))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("were started with another producer: {");
    assertThatThrownBy(() -> VectorWriter.open(dir, ids, VectorFixtures.config(seed, DIMENSION + 1, SHARD_SIZE, false)))
        .hasMessageContaining("were started with another dimension: 8 then, 9 now; give the same settings");
    assertThatThrownBy(() -> VectorWriter.open(dir, ids, VectorFixtures.config(seed, DIMENSION, 20, false)))
        .hasMessageContaining("were started with another shard_size: 10 then, 20 now");
    Path finished = uninterrupted();
    assertThatThrownBy(() -> VectorWriter.open(finished, ids, producer))
        .hasMessageContaining("were finished with another producer");
  }

  @Test
  void aSecondWriterOnTheSameFolderIsRefused() {
    Path dir = tmp.resolve("vectors");
    try (VectorWriter writer = VectorWriter.open(dir, ids, config)) {
      assertThatThrownBy(() -> VectorWriter.open(dir, ids, config))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("another writer is writing vectors to " + dir.toAbsolutePath());
      assertThat(writer.resumeFrom()).isZero();
    }
    try (VectorWriter again = VectorWriter.open(dir, ids, config)) {
      assertThat(again.resumeFrom()).isZero();
    }
  }

  @Test
  void aFolderWithOtherFilesIsRefusedAndLeftAlone() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("home"));
    Files.writeString(dir.resolve("notes.txt"), "keep me");
    assertThatThrownBy(() -> VectorWriter.open(dir, ids, config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(dir.toAbsolutePath() + " is not a vectors folder: it holds \"notes.txt\"; give a new or empty"
            + " folder");
    assertThat(VectorFixtures.names(dir)).containsExactly("notes.txt");
  }

  @Test
  void badRowsAreRejectedWholeBeforeAnythingIsWritten() {
    Path dir = tmp.resolve("vectors");
    try (VectorWriter writer = VectorWriter.open(dir, ids, config)) {
      float[] good = VectorFixtures.row(seed, 0, DIMENSION, false);
      assertThatThrownBy(() -> writer.append(new float[][] {good, new float[3]}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("row 1 (id \"doc-1\") has 3 values; the dimension is 8");
      float[] nan = good.clone();
      nan[5] = Float.NaN;
      assertThatThrownBy(() -> writer.append(new float[][] {good, nan}))
          .hasMessage("row 1 (id \"doc-1\") has NaN at position 5");
      float[] infinite = good.clone();
      infinite[0] = Float.NEGATIVE_INFINITY;
      assertThatThrownBy(() -> writer.append(new float[][] {infinite}))
          .hasMessage("row 0 (id \"doc-0\") has -Infinity at position 0");
      assertThatThrownBy(() -> writer.append(new float[][] {null})).hasMessage("row 0 (id \"doc-0\") is null");
      assertThat(writer.written()).isZero();
      assertThatThrownBy(writer::finish)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("finish() needs all 103 rows, but 0 are written");
      VectorFixtures.append(writer, seed, 0, COUNT, 11, config);
      writer.finish();
      assertThatThrownBy(() -> writer.append(new float[0][])).isInstanceOf(IllegalStateException.class)
          .hasMessage("the vector writer for " + dir.toAbsolutePath() + " is closed");
    }
    try (VectorReader reader = VectorReader.open(dir)) {
      assertThat(reader.vector(0)).containsExactly(VectorFixtures.row(seed, 0, DIMENSION, false));
    }
  }

  @Test
  void badIdsAreRejectedWithTheirRow() {
    Path dir = tmp.resolve("vectors");
    assertThatThrownBy(() -> VectorWriter.open(dir, List.of("a", "b", "a"), config))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("duplicate id \"a\" at rows 0 and 2");
    assertThatThrownBy(() -> VectorWriter.open(dir, List.of("a", ""), config))
        .hasMessage("the id of row 1 is empty");
    assertThatThrownBy(() -> VectorWriter.open(dir, List.of("a\nb"), config))
        .hasMessage("the id of row 0 contains a line break: \"a\\nb\"");
    assertThatThrownBy(() -> VectorWriter.open(dir, List.of("x\r"), config))
        .hasMessage("the id of row 0 contains a line break: \"x\\r\"");
    assertThatThrownBy(() -> VectorWriter.open(dir, Arrays.asList("a", null), config))
        .hasMessage("the id of row 1 is null");
    assertThatThrownBy(() -> VectorWriter.open(dir, List.of("\uD800"), config))
        .hasMessage("the id of row 0 is not valid Unicode (an unpaired surrogate)");
    assertThat(dir).doesNotExist();
  }

  @Test
  void theConfigIsValidatedWithExactMessages() {
    var producer = VectorFixtures.producer(seed);
    assertThatThrownBy(() -> new VectorWriterConfig(0, 10, false, producer))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dimension must be positive and <= 536870911; dimension=0");
    assertThatThrownBy(() -> new VectorWriterConfig(536870912, 10, false, producer))
        .hasMessage("dimension must be positive and <= 536870911; dimension=536870912");
    assertThatThrownBy(() -> new VectorWriterConfig(8, 0, false, producer))
        .hasMessage("shardSize must be positive; shardSize=0");
    assertThatThrownBy(() -> new VectorWriterConfig(8, 10, false, null))
        .hasMessage("producer must be a JSON object (an empty one if there is nothing to record)");
    assertThat(new VectorWriterConfig(8, false, producer).shardSize()).isEqualTo(10_000);
    // numbers are normalized as JSON text reads them back, so a resumed run compares equal
    var longSeed = VectorFixtures.producer(seed).put("seed", 5L).put("rate", 0.1f);
    assertThat(new VectorWriterConfig(8, 10, false, longSeed))
        .isEqualTo(new VectorWriterConfig(8, 10, false, VectorFixtures.producer(seed).put("seed", 5).put("rate", 0.1)));
  }

  @Test
  void shardsWrittenElsewhereAreAdoptedToTheBytesOfAnUninterruptedRun() throws IOException {
    Path dir = crashAfter(25);   // shards 0 and 1 complete
    try (VectorWriter writer = VectorWriter.open(dir, ids, config)) {
      assertThat(writer.pendingShards()).containsExactly(2, 3, 4, 5, 6, 7, 8, 9, 10);
      VectorWriter.Layout layout = writer.layout();
      assertThat(layout.firstRow(10)).isEqualTo(100);
      assertThat(layout.endRow(10)).isEqualTo(COUNT);
      for (int shard : List.of(10, 4, 2, 3, 5, 6, 7, 8, 9, 9)) {   // any order, one twice (a retried task)
        int first = layout.firstRow(shard);
        int end = layout.endRow(shard);
        VectorWriter.writeShard(dir, layout, shard, ids.subList(first, end),
            VectorFixtures.rows(seed, first, end, DIMENSION, false));
      }
      writer.adoptWrittenShards();
      writer.finish();
    }
    VectorFixtures.assertSameFiles(uninterrupted(), dir);
  }

  @Test
  void aMissingOrWrongShardWrittenElsewhereIsNotAdopted() {
    Path dir = crashAfter(0);
    try (VectorWriter writer = VectorWriter.open(dir, ids, config)) {
      VectorWriter.Layout layout = writer.layout();
      VectorWriter.writeShard(dir, layout, 0, ids.subList(0, 10), VectorFixtures.rows(seed, 0, 10, DIMENSION, false));
      List<String> wrongIds = new ArrayList<>(ids.subList(10, 20));
      Collections.reverse(wrongIds);
      VectorWriter.writeShard(dir, layout, 1, wrongIds, VectorFixtures.rows(seed, 10, 20, DIMENSION, false));
      assertThatThrownBy(writer::adoptWrittenShards).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("shard-00001").hasMessageContaining("1 of 11 shards are complete");
      assertThatThrownBy(() -> VectorWriter.writeShard(dir, layout, 2, ids.subList(20, 29),
          VectorFixtures.rows(seed, 20, 29, DIMENSION, false))).hasMessageContaining("holds rows 20..29: 10 rows");
      float[][] bad = VectorFixtures.rows(seed, 20, 30, DIMENSION, false);
      bad[4][1] = Float.NaN;
      assertThatThrownBy(() -> VectorWriter.writeShard(dir, layout, 2, ids.subList(20, 30), bad))
          .hasMessageContaining("row 24 (id \"" + ids.get(24) + "\") has NaN");
    }
  }
}
