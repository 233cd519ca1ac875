package dev.quarry.mine;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Per-query random streams, so that what is sampled for a query depends only on the seed and the query id: not on
 * the order queries are processed in, on threads, or on which other queries are mined alongside it.
 *
 * <p>The rule, to reproduce it elsewhere: {@code h} = 64-bit FNV-1a over the query id's UTF-8 bytes (offset basis
 * {@code 0xcbf29ce484222325}, prime {@code 0x100000001b3}); the query's seed is {@code mix(seed ^ h)}, where
 * {@code mix} is SplitMix64's finalizer ({@code z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
 * z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL; z ^ (z >>> 31)}); the stream is {@code new java.util.Random(thatSeed)},
 * whose algorithm the JDK specifies.
 */
public final class QuerySeeds {
  private QuerySeeds() {
  }

  /** The random stream of {@code queryId} under {@code seed}. */
  public static Random forQuery(long seed, String queryId) {
    return new Random(seedOf(seed, queryId));
  }

  /** The seed of {@code queryId}'s stream under {@code seed}. */
  public static long seedOf(long seed, String queryId) {
    return mix(seed ^ fnv1a64(queryId.getBytes(StandardCharsets.UTF_8)));
  }

  static long fnv1a64(byte[] bytes) {
    long h = 0xcbf29ce484222325L;
    for (byte b : bytes) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
