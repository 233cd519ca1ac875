package dev.quarry.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Inverted dropout whose masks are drawn on the JVM, in parallel, from a seeded counter-based stream.
 *
 * <p>Why not libtorch's: its CPU dropout draws the mask with {@code bernoulli_}, whose MKL path PyTorch takes only on
 * Intel processors; elsewhere (this project's AMD EPYC machines) it runs one element at a time on one thread, about
 * 15-25 ns an element. A BERT training step draws a mask over every attention probability ({@code batch x heads x
 * length x length}: 28 million floats per layer for 64 passages of 192 tokens), and a sampling profile of the RocketQA
 * pipeline's MD1 put 13 of 40 stack samples in that one call. Here each call splits the tensor into blocks of
 * {@value #BLOCK} elements, each block drawn by its own {@link SplittableRandom} seeded from (the stream's seed, the
 * call's index, the block's index), so a mask depends on the seed and on how many masks were drawn before it, never on
 * the thread count or scheduling: a step seeded the same way draws the same masks, which is what gradient-cache
 * replay ({@code dev.quarry.train.DropoutReplay}) and exact resume need.
 *
 * <p>Each element is kept with probability {@code floor((1 - rate) 2^32) / 2^32} (from 32 random bits; within
 * 2.4e-10 of {@code 1 - rate}) and scaled by {@code 1 / (1 - rate)}, as {@code torch.nn.functional.dropout}.
 *
 * <p>The stream is per thread, like libtorch's grad mode: {@link #seed} on one thread does not move another's.
 */
public final class DropoutMasks {
  /** Elements per independently seeded block. */
  static final int BLOCK = 1 << 16;

  private static final ThreadLocal<Stream> STREAM = ThreadLocal.withInitial(() -> new Stream(0));

  private DropoutMasks() {
  }

  /** Restarts this thread's mask stream at {@code seed}. */
  public static void seed(long seed) {
    STREAM.get().restart(seed);
  }

  /**
   * {@code x} with each element zeroed with probability {@code rate} and the rest scaled by {@code 1 / (1 - rate)};
   * differentiable in {@code x} (the mask is a constant of the graph). The next mask of this thread's stream.
   */
  public static NDArray apply(NDArray x, float rate) {
    if (!(rate > 0 && rate < 1)) {
      throw new IllegalArgumentException("dropout rate must be in (0, 1), got " + rate);
    }
    // the product lands in x's manager; the mask's handle closes here, while libtorch keeps the tensor itself for as
    // long as the graph saves it (for the backward pass)
    try (NDManager scratch = x.getManager().newSubManager()) {
      return x.mul(mask(scratch, x.getShape(), 1 - rate));
    }
  }

  /** The next mask of this thread's stream: {@code 1 / keep} where kept, 0 elsewhere, as float32. */
  static NDArray mask(NDManager manager, Shape shape, float keep) {
    long size = shape.size();
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("dropout over " + size + " elements: more than one mask can hold");
    }
    int n = (int) size;
    Stream stream = STREAM.get();
    long callSeed = stream.nextCall();
    if (n == 0) {
      return manager.zeros(shape, DataType.FLOAT32);
    }
    long threshold = (long) Math.floor(keep * 4294967296.0);
    ByteBuffer bits = stream.buffer(n);
    int blocks = (n + BLOCK - 1) / BLOCK;
    IntStream range = IntStream.range(0, blocks);
    (blocks > 1 ? range.parallel() : range).forEach(b -> fill(bits, b, n, callSeed, threshold));
    // the byte tensor wraps the thread's buffer without a copy; the cast copies into a tensor libtorch owns (autograd
    // keeps that one for the backward pass), so the buffer is free for the next mask once the cast returns
    try (NDManager scratch = manager.newSubManager()) {
      NDArray wrapped = scratch.create(bits.slice(0, n), shape, DataType.UINT8);
      NDArray mask = wrapped.toType(DataType.FLOAT32, true).muli(Torch.scalar(wrapped, 1f / keep));
      mask.attach(manager);
      return mask;
    }
  }

  /**
   * Block {@code block}'s decisions: element {@code from + 2j} takes the high 32 bits of the block generator's j-th
   * draw, {@code from + 2j + 1} the low 32, kept where below {@code threshold}; written eight at a time.
   */
  private static void fill(ByteBuffer bits, int block, int n, long callSeed, long threshold) {
    SplittableRandom random = new SplittableRandom(mix(callSeed + block * 0x9E3779B97F4A7C15L));
    int from = block * BLOCK;
    int to = Math.min(n, from + BLOCK);
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long packed = 0;
      for (int k = 0; k < 8; k += 2) {
        long r = random.nextLong();
        packed |= ((r >>> 32) < threshold ? 1L : 0L) << (8 * k);
        packed |= ((r & 0xFFFFFFFFL) < threshold ? 1L : 0L) << (8 * (k + 1));
      }
      bits.putLong(i, packed);   // little-endian: byte k of the long is element i + k
    }
    for (; i + 1 < to; i += 2) {
      long r = random.nextLong();
      bits.put(i, (r >>> 32) < threshold ? (byte) 1 : 0);
      bits.put(i + 1, (r & 0xFFFFFFFFL) < threshold ? (byte) 1 : 0);
    }
    if (i < to) {
      bits.put(i, (random.nextLong() >>> 32) < threshold ? (byte) 1 : 0);
    }
  }

  /** Stafford's variant 13 of the 64-bit finalizer (as {@code SplittableRandom} mixes): a bijection, well spread. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A thread's stream: its seed, how many masks it has drawn, and the buffer its masks are drawn into. */
  private static final class Stream {
    private long seed;
    private long calls;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(0);

    Stream(long seed) {
      restart(seed);
    }

    /** Back to the first mask of {@code seed}'s stream; the buffer is kept. */
    void restart(long seed) {
      this.seed = mix(seed);
      this.calls = 0;
    }

    /** This thread's buffer of at least {@code n} bytes, reused across masks (allocating zeroes it: a pass saved). */
    ByteBuffer buffer(int n) {
      if (buffer.capacity() < n) {
        buffer = ByteBuffer.allocateDirect(n).order(ByteOrder.LITTLE_ENDIAN);
      }
      return buffer;
    }

    long nextCall() {
      return mix(seed + (calls++) * 0xD1B54A32D192ED03L);
    }
  }
}
