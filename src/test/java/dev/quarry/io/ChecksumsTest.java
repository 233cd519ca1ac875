package dev.quarry.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksumsTest {
  @TempDir
  Path dir;

  @Test
  void sha256OfStringsAndFilesIsLowercaseHex() {
    String abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    assertThat(Checksums.sha256("abc")).isEqualTo(abc);
    assertThat(Checksums.sha256(Fixtures.write(dir.resolve("abc.txt"), "abc"))).isEqualTo(abc);
    assertThat(Checksums.sha256(Fixtures.write(dir.resolve("empty"), "")))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void aJsonTreeHashesAsItsCompactText() {
    var tree = JsonLines.MAPPER.createObjectNode().put("a", 1).put("b", 0.5);
    tree.putObject("c").put("d", "x");
    assertThat(Checksums.sha256(tree)).isEqualTo(Checksums.sha256("{\"a\":1,\"b\":0.5,\"c\":{\"d\":\"x\"}}"));
  }

  @Test
  void fileChecksumCoversFilesLargerThanTheBuffer() {
    String big = "0123456789abcdef".repeat(10_000) + "!";
    assertThat(Checksums.sha256(Fixtures.write(dir.resolve("big"), big))).isEqualTo(Checksums.sha256(big));
  }
}
