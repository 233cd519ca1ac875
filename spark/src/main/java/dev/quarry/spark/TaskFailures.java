package dev.quarry.spark;

import dev.quarry.io.DataFormatException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import org.apache.spark.SparkException;

/**
 * Spark reports a task's exception wrapped in its own ("Job aborted due to stage failure: Task 0 in stage 0.0 failed 1
 * times, most recent failure: ..."). A task failing on bad input (a run naming a document the corpus lacks, a corrupt
 * artifact) should read as the same command's single-node error, so the cause Quarry threw is rethrown as it was.
 */
final class TaskFailures {
  private TaskFailures() {
  }

  /** Runs a Spark action, rethrowing the Quarry exception a task failed with. */
  static <T> T unwrapped(Supplier<T> action) {
    try {
      return action.get();
    } catch (Exception e) {   // SparkException is a checked exception Scala does not declare
      if (isSpark(e)) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
          if (t instanceof IllegalArgumentException || t instanceof IllegalStateException
              || t instanceof DataFormatException || t instanceof UncheckedIOException) {
            throw (RuntimeException) t;
          }
        }
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** {@link #unwrapped(Supplier)} for an action without a result. */
  static void unwrapped(Runnable action) {
    unwrapped(() -> {
      action.run();
      return null;
    });
  }

  private static boolean isSpark(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SparkException) {
        return true;
      }
    }
    return false;
  }
}
