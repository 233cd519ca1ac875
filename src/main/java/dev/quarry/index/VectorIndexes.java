package dev.quarry.index;

import dev.quarry.util.Progress;
import dev.quarry.vectors.VectorReader;
import java.util.List;

/** Builds a {@link VectorIndex} of the type a {@link VectorIndexConfig} names. */
public final class VectorIndexes {
  private VectorIndexes() {
  }

  /**
   * Builds an index over {@code vectors}, vector {@code i} with id {@code ids.get(i)}; an HNSW index is built in
   * memory (use {@link HnswVectorIndex#build} for one in a folder). The caller's arrays are not kept or changed.
   */
  public static VectorIndex build(List<String> ids, float[][] vectors, VectorIndexConfig config, Progress progress) {
    return switch (config.type()) {
      case FLAT -> FlatVectorIndex.build(ids, vectors, config.similarity(), config.threads());
      case HNSW -> HnswVectorIndex.buildInMemory(ids, vectors, config, progress);
    };
  }

  /**
   * An index over a vectors artifact: exact search scans its memory-mapped rows ({@link FlatVectorIndex#mapped}, no
   * copy of the corpus on the heap); an HNSW graph is built in memory from a copy of them.
   */
  public static VectorIndex open(VectorReader vectors, VectorIndexConfig config, Progress progress) {
    return switch (config.type()) {
      case FLAT -> FlatVectorIndex.mapped(vectors, config.similarity(), config.threads());
      case HNSW -> HnswVectorIndex.buildInMemory(vectors.ids(), vectors.all(), config, progress);
    };
  }
}
