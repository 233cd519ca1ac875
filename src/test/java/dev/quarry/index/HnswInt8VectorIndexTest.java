package dev.quarry.index;

/** The contract and HNSW tests again, with the graph's vectors quantized to 8 bits. */
class HnswInt8VectorIndexTest extends HnswVectorIndexTest {
  @Override
  HnswConfig hnsw() {
    return HnswConfig.DEFAULTS.withInt8Quantized(true);
  }
}
