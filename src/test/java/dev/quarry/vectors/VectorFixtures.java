package dev.quarry.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.JsonLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Seeded data and helpers shared by the vectors tests (and by {@link SlowVectorWriterMain} in a child JVM). */
final class VectorFixtures {
  private VectorFixtures() {
  }

  /** The seed of a test: {@code -Dquarry.seed=N} replays a run; otherwise a random one, printed. */
  static long seed(String test) {
    String given = System.getProperty("quarry.seed");
    long seed = given != null && !given.isBlank() ? Long.parseLong(given) : new SplittableRandom().nextLong();
    System.out.println(test + ": seed " + seed + " (replay with -Dquarry.seed=" + seed + ")");
    return seed;
  }

  /** {@code n} distinct ids, some of them non-ASCII. */
  static List<String> ids(int n) {
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add(i % 7 == 3 ? "pássage/" + i + "-ü漢😀" : "doc-" + i);
    }
    return ids;
  }

  /**
   * Row {@code row} of the seeded data: the same for a given seed and row whatever the batches. Unnormalized rows
   * include negative zero, a subnormal and the largest float.
   */
  static float[] row(long seed, int row, int dimension, boolean normalized) {
    SplittableRandom random = new SplittableRandom(seed ^ (row * 0x9E3779B97F4A7C15L));
    float[] v = new float[dimension];
    double squares = 0;
    for (int j = 0; j < dimension; j++) {
      v[j] = (float) random.nextGaussian();
      squares += (double) v[j] * v[j];
    }
    if (normalized) {
      float norm = (float) Math.sqrt(squares);
      for (int j = 0; j < dimension; j++) {
        v[j] /= norm;
      }
    } else if (row % 5 == 1) {
      v[0] = -0.0f;
      v[dimension - 1] = Float.MIN_VALUE;
      v[dimension / 2] = row % 10 == 1 ? Float.MAX_VALUE : -Float.MAX_VALUE;
    }
    return v;
  }

  static float[][] rows(long seed, int from, int to, int dimension, boolean normalized) {
    float[][] rows = new float[to - from][];
    for (int r = from; r < to; r++) {
      rows[r - from] = row(seed, r, dimension, normalized);
    }
    return rows;
  }

  static ObjectNode producer(long seed) {
    ObjectNode producer = JsonLines.MAPPER.createObjectNode();
    producer.put("model", "test/tiny-encoder");
    producer.put("pooling", "mean");
    producer.put("max_length", 256);
    producer.put("seed", seed);
    producer.putObject("inputs").put("corpus_sha256", "ab".repeat(32));
    producer.putArray("versions").add("quarry 0.1.0").add("jdk " + Runtime.version().feature());
    return producer;
  }

  static VectorWriterConfig config(long seed, int dimension, int shardSize, boolean normalized) {
    return new VectorWriterConfig(dimension, shardSize, normalized, producer(seed));
  }

  /** Appends rows {@code [from, to)} in batches of {@code batch}. */
  static void append(VectorWriter writer, long seed, int from, int to, int batch, VectorWriterConfig config) {
    for (int r = from; r < to; r += batch) {
      writer.append(rows(seed, r, Math.min(r + batch, to), config.dimension(), config.normalized()));
    }
  }

  /** An uninterrupted run: every row, then finish. */
  static void writeAll(Path dir, List<String> ids, VectorWriterConfig config, long seed, int batch) {
    try (VectorWriter writer = VectorWriter.open(dir, ids, config)) {
      assertThat(writer.resumeFrom()).isZero();
      append(writer, seed, 0, ids.size(), batch, config);
      writer.finish();
    }
  }

  /** The sorted names in {@code dir}. */
  static List<String> names(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The same file names with the same bytes. */
  static void assertSameFiles(Path expected, Path actual) throws IOException {
    assertThat(names(actual)).isEqualTo(names(expected));
    for (String name : names(expected)) {
      assertThat(Files.readAllBytes(actual.resolve(name))).as(name)
          .isEqualTo(Files.readAllBytes(expected.resolve(name)));
    }
  }

  /** The file names of a finished artifact of {@code shards} shards. */
  static List<String> artifactFiles(int shards) {
    List<String> names = new ArrayList<>();
    names.add(VectorsFormat.MANIFEST);
    for (int k = 0; k < shards; k++) {
      names.add(VectorsFormat.idsFile(k));
      names.add(VectorsFormat.vectorsFile(k));
    }
    return names.stream().sorted().toList();
  }

  /** Flips every bit of the byte at {@code offset} of {@code file}. */
  static void flipByte(Path file, long offset) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) offset] ^= (byte) 0xFF;
    Files.write(file, bytes);
  }
}
