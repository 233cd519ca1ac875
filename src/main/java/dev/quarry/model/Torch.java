package dev.quarry.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Process-wide settings of the PyTorch engine. libtorch sizes its intra-op thread pool by physical cores, which on a
 * 2-vCPU machine is one; Quarry uses every available processor unless {@code -Dai.djl.pytorch.num_threads} says
 * otherwise.
 */
public final class Torch {
  private static boolean configured;

  private Torch() {
  }

  /** The system property that sets the engines' threads (DJL's name; ONNX Runtime sessions read it too). */
  public static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

  /** Loads the engine and sets its thread count, once. */
  public static synchronized void configureThreads() {
    if (configured) {
      return;
    }
    Engine.getEngine("PyTorch");
    if (System.getProperty(THREADS_PROPERTY) == null) {
      JniUtils.setNumThreads(Runtime.getRuntime().availableProcessors());
    }
    configured = true;
  }

  /**
   * Runs {@code work} with gradient recording off on this thread, restoring the previous mode after. libtorch's grad
   * mode is per thread and on by default; DJL turns it off only on the thread that loaded the engine, so a forward
   * pass meant to record nothing must say so.
   */
  public static <T> T withoutGrad(java.util.function.Supplier<T> work) {
    configureThreads();
    boolean before = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      return work.get();
    } finally {
      JniUtils.setGradMode(before);
    }
  }

  /**
   * A 0-dimensional float tensor that libtorch allocates and owns, in {@code like}'s manager, for arithmetic inside a
   * graph that back-propagates: {@code x.div(Torch.scalar(x, 2f))}, never {@code x.div(2f)}.
   *
   * <p>Why: DJL's {@code Number} overloads ({@code div(Number)}, {@code mul}, {@code maximum}, {@code pow}, ...) wrap
   * a Java direct buffer as a tensor without copying it and close that tensor right after the op. An op whose
   * backward saves the operand (division, product, maximum, power) then holds memory that the garbage collector frees
   * whenever it next runs: the forward pass and the loss are right, the gradients are garbage. That was the
   * load-dependent gradient-cache flake; {@code ContrastiveStepTest} now runs its steps with a collector running
   * beside them. A tensor from {@code full} is reference-counted by libtorch, so autograd keeps it alive itself.
   */
  public static NDArray scalar(NDArray like, float value) {
    return like.getManager().full(new Shape(), value, DataType.FLOAT32);
  }

  /** libtorch's intra-op thread count. */
  public static int threads() {
    configureThreads();
    return JniUtils.getNumThreads();
  }

  /**
   * Seeds this thread's dropout masks ({@link DropoutMasks}) from a 64-bit seed, and the engine's generator (the
   * random initial weights of fresh layers) from the same seed folded to the 31 bits the engine takes.
   */
  public static void seedEngine(long seed) {
    DropoutMasks.seed(seed);
    ai.djl.engine.Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)) & 0x7fffffff);
  }
}
