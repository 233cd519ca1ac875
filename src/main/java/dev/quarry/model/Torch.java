package dev.quarry.model;

import ai.djl.engine.Engine;
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

  /** Loads the engine and sets its thread count, once. */
  public static synchronized void configureThreads() {
    if (configured) {
      return;
    }
    Engine.getEngine("PyTorch");
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
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

  /** libtorch's intra-op thread count. */
  public static int threads() {
    configureThreads();
    return JniUtils.getNumThreads();
  }

  /** Seeds the engine's generator (dropout masks) from a 64-bit seed, folded to the 31 bits the engine takes. */
  public static void seedEngine(long seed) {
    ai.djl.engine.Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)) & 0x7fffffff);
  }
}
