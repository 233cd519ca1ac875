package dev.quarry.cli;

import dev.quarry.util.Progress;
import java.io.PrintStream;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows progress on stderr: an animated bar with rate and ETA on a terminal; on a pipe or log file, one line when
 * each task ends, so logs stay readable.
 */
final class ConsoleProgress implements Progress {
  private final boolean terminal;
  private final PrintStream err;

  ConsoleProgress(PrintStream err) {
    this.err = err;
    this.terminal = isTerminal();
  }

  @Override
  public Task start(String name, long total) {
    long startNanos = System.nanoTime();
    if (terminal) {
      ProgressBar bar = ProgressBar.builder().setTaskName(name).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis(250).showSpeed().continuousUpdate().build();
      return new Task() {
        @Override
        public void step(long n) {
          bar.stepBy(n);
        }

        @Override
        public void close() {
          bar.close();
        }
      };
    }
    return new Task() {
      private final java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();

      @Override
      public void step(long n) {
        done.addAndGet(n);
      }

      @Override
      public void close() {
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        double seconds = Math.max(1e-9, took.toNanos() / 1e9);
        err.printf("%s: %d done in %.1f s (%.1f/s)%n", name, done.get(), seconds, done.get() / seconds);
      }
    };
  }

  private static boolean isTerminal() {
    var console = System.console();
    if (console == null) {
      return false;
    }
    try {   // JDK 22+: a Console exists even when redirected; ask whether it is a terminal
      return (Boolean) console.getClass().getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
