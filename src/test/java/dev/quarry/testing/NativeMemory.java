package dev.quarry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How much memory this process holds outside the Java heap, for tests that prove native arrays do not leak. */
public final class NativeMemory {
  private NativeMemory() {
  }

  /** Resident memory less the Java heap's committed size (after a GC): what native allocations hold. */
  public static long residentOutsideHeap() {
    System.gc();
    try {
      String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
      return Long.parseLong(statm[1]) * 4096 - Runtime.getRuntime().totalMemory();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
