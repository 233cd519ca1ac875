package dev.quarry.util;

/**
 * Progress of long work, reported by library code and shown by the CLI. Library code never prints; it calls these
 * methods on whatever the caller passed ({@link #NONE} when nobody watches). Implementations must be thread-safe.
 */
public interface Progress {
  /** Reports nothing. */
  Progress NONE = new Progress() {
    @Override
    public Task start(String name, long total) {
      return Task.NONE;
    }
  };

  /**
   * Starts a task.
   *
   * @param total the number of steps, or -1 when unknown
   */
  Task start(String name, long total);

  /** One running task; close it when done. */
  interface Task extends AutoCloseable {
    Task NONE = new Task() {
      @Override
      public void step(long n) {
      }

      @Override
      public void close() {
      }
    };

    void step(long n);

    default void step() {
      step(1);
    }

    /**
     * {@code n} steps done, with a short status of where the work stands (a training step's epoch and loss), shown
     * with the count; a log that is not a terminal gets one line per call.
     */
    default void step(long n, String status) {
      step(n);
    }

    /** Steps done before this process started (a resumed run): counted in the position, not in the speed. */
    default void skip(long n) {
      step(n);
    }

    @Override
    void close();
  }
}
