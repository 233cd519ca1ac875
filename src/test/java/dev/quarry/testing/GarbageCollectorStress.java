package dev.quarry.testing;

import java.util.function.Supplier;

/**
 * Runs work while another thread keeps the garbage collector busy, so that a Java direct buffer still in use by
 * native code but no longer reachable from Java is freed mid-work instead of (rarely) at some later, load-dependent
 * moment. DJL's {@code Number} overloads were such a case: see {@code Torch.scalar}.
 */
public final class GarbageCollectorStress {
  private GarbageCollectorStress() {
  }

  /** The value of {@code work}, computed while a daemon thread calls {@code System.gc()} in a loop. */
  public static <T> T during(Supplier<T> work) {
    Thread collector = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        System.gc();
      }
    }, "gc-stress");
    collector.setDaemon(true);
    collector.start();
    try {
      return work.get();
    } finally {
      collector.interrupt();
      try {
        collector.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
