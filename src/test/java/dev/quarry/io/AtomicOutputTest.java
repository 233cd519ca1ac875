package dev.quarry.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicOutputTest {
  @TempDir
  Path dir;

  private List<String> tempFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".") && n.contains(".tmp-")).toList();
    }
  }

  @Test
  void commitReplacesTheTargetAndLeavesNoTemporaryFile() throws IOException {
    Path target = Fixtures.write(dir.resolve("out.txt"), "old content\n");
    try (AtomicOutput out = AtomicOutput.create(target)) {
      out.writer().write("new ");
      out.writer().write("content ü\n");
      // nothing is visible before commit
      assertThat(Files.readString(target)).isEqualTo("old content\n");
      out.commit();
    }
    assertThat(Files.readString(target)).isEqualTo("new content ü\n");
    assertThat(tempFiles()).isEmpty();
  }

  @Test
  void anExceptionBeforeCommitKeepsTheOldContentAndRemovesTheTemporaryFile() throws IOException {
    Path target = Fixtures.write(dir.resolve("out.txt"), "old content\n");
    assertThatThrownBy(() -> {
      try (AtomicOutput out = AtomicOutput.create(target)) {
        out.writer().write("half of the new cont");
        out.writer().flush();
        assertThat(tempFiles()).hasSize(1);
        throw new IllegalStateException("writer failed");
      }
    }).isInstanceOf(IllegalStateException.class).hasMessage("writer failed");
    assertThat(Files.readString(target)).isEqualTo("old content\n");
    assertThat(tempFiles()).isEmpty();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("out.txt");
    }
  }

  @Test
  void closingWithoutCommitCreatesNoTarget() throws IOException {
    Path target = dir.resolve("never.txt");
    try (AtomicOutput out = AtomicOutput.create(target)) {
      out.stream().write("bytes".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(target).doesNotExist();
    assertThat(tempFiles()).isEmpty();
  }

  @Test
  void createsParentFoldersAndWritesRawBytes() throws IOException {
    Path target = dir.resolve("a/b/c.bin");
    try (AtomicOutput out = AtomicOutput.create(target)) {
      out.stream().write(new byte[] {1, 2, (byte) 0xFF});
      out.commit();
    }
    assertThat(Files.readAllBytes(target)).containsExactly(1, 2, (byte) 0xFF);
    try (AtomicOutput out = AtomicOutput.create(dir.resolve("x"))) {
      assertThat(out.target()).isEqualTo(dir.resolve("x").toAbsolutePath());
    }
    assertThat(dir.resolve("x")).doesNotExist();
  }

  @Test
  void aFailedCommitLeavesNoTemporaryFile() throws IOException {
    Path target = dir.resolve("occupied");
    Fixtures.write(target.resolve("inside.txt"), "a non-empty folder cannot be replaced");
    assertThatThrownBy(() -> {
      try (AtomicOutput out = AtomicOutput.create(target)) {
        out.writer().write("content");
        out.commit();
      }
    }).isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("occupied");
    assertThat(target.resolve("inside.txt")).hasContent("a non-empty folder cannot be replaced");
    assertThat(target.toFile().list()).as("the folder is as it was").containsExactly("inside.txt");
    assertThat(tempFiles()).isEmpty();
  }

  @Test
  void writeStringReplacesAtomically() throws IOException {
    Path target = Fixtures.write(dir.resolve("s.txt"), "before");
    AtomicOutput.writeString(target, "after");
    assertThat(Files.readString(target)).isEqualTo("after");
    assertThat(tempFiles()).isEmpty();
  }
}
