package dev.quarry.cli;

import dev.quarry.util.Progress;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows progress on stderr: an animated bar with rate and ETA on a terminal; on a pipe or log file, lines a log can
 * hold: one per step that reports a status (each training step: epoch, loss, learning rate), otherwise one every
 * {@link #LOG_INTERVAL}, each with the count, the speed and the time left, and one when the task ends.
 */
public final class ConsoleProgress implements Progress {
  /** How often a task without statuses prints a line to a log. */
  static final Duration LOG_INTERVAL = Duration.ofSeconds(30);

  private final boolean terminal;
  private final PrintStream err;

  public ConsoleProgress(PrintStream err) {
    this.err = err;
    this.terminal = isTerminal();
  }

  @Override
  public Task start(String name, long total) {
    if (terminal) {
      ProgressBar bar = ProgressBar.builder().setTaskName(name).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis(250).showSpeed().continuousUpdate().build();
      return new Task() {
        @Override
        public void step(long n) {
          bar.stepBy(n);
        }

        @Override
        public void step(long n, String status) {
          bar.stepBy(n);
          bar.setExtraMessage(status);
        }

        @Override
        public void close() {
          bar.close();
        }
      };
    }
    return new LogTask(name, total, err, System.nanoTime());
  }

  /** A task shown as lines in a log. */
  static final class LogTask implements Task {
    private final String name;
    private final long total;
    private final PrintStream err;
    private final long startNanos;
    private long done;
    private long skipped;
    private long lastLineNanos;

    LogTask(String name, long total, PrintStream err, long startNanos) {
      this.name = name;
      this.total = total;
      this.err = err;
      this.startNanos = startNanos;
      this.lastLineNanos = startNanos;
    }

    @Override
    public synchronized void step(long n) {
      advance(n, null);
    }

    @Override
    public synchronized void step(long n, String status) {
      advance(n, status);
    }

    /** Counts {@code n} steps; prints a line when there is a status, or when the last line is old enough. */
    private void advance(long n, String status) {
      done += n;
      long now = System.nanoTime();
      if (status != null || now - lastLineNanos >= LOG_INTERVAL.toNanos()) {
        err.println(line(status, now));
        lastLineNanos = now;
      }
    }

    @Override
    public synchronized void skip(long n) {
      done += n;
      skipped += n;
    }

    /** {@code name: done/total (pct), status; speed/s, ETA m min}, the parts known. */
    synchronized String line(String status, long now) {
      double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
      double speed = (done - skipped) / seconds;
      StringBuilder b = new StringBuilder(name).append(": ").append(done);
      if (total > 0) {
        b.append('/').append(total).append(String.format(Locale.ROOT, " (%.1f%%)", 100.0 * done / total));
      }
      if (status != null && !status.isEmpty()) {
        b.append(", ").append(status);
      }
      b.append(String.format(Locale.ROOT, "; %.2f/s", speed));
      if (total > 0 && speed > 0 && done < total) {
        b.append(String.format(Locale.ROOT, ", ETA %.1f min", (total - done) / speed / 60));
      }
      return b.toString();
    }

    @Override
    public synchronized void close() {
      double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
      err.printf(Locale.ROOT, "%s: %d done in %.1f s (%.2f/s)%n", name, done - skipped, seconds,
          (done - skipped) / seconds);
    }
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
