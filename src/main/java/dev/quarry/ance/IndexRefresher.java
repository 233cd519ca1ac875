package dev.quarry.ance;

import dev.quarry.model.NamedTensor;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The background half of ANCE: one thread that turns the weights handed over by the trainer into a fresh
 * {@link NegativeTable} and publishes it, while the trainer goes on with the previous table.
 *
 * <p>Requests are "latest wins": a request made while another is still waiting replaces it (its weights are older),
 * so the refresher always encodes with the newest weights it was given, as ANCE's inferencer takes the newest
 * checkpoint. A request made while a refresh runs waits for it. A failure in the background is rethrown on the
 * trainer's thread at its next call; {@link #close()} cancels a running refresh at its next batch and joins the
 * thread.
 */
public final class IndexRefresher implements AutoCloseable {
  /** Builds a table from weights; checks {@code cancelled} often enough to stop within a batch. */
  @FunctionalInterface
  public interface Builder {
    Built build(long step, Map<String, NamedTensor> weights, Cancellation cancelled) throws Exception;
  }

  /** Polled by a {@link Builder}: throws {@link CancellationException} once the refresher is closing. */
  @FunctionalInterface
  public interface Cancellation {
    void check();
  }

  /** A built table and where its time went. */
  public record Built(NegativeTable table, double encodeSeconds, double indexSeconds, double searchSeconds) {
    public double totalSeconds() {
      return encodeSeconds + indexSeconds + searchSeconds;
    }
  }

  private record Request(long step, Supplier<Map<String, NamedTensor>> weights) {
  }

  private final Builder builder;
  private final Consumer<Built> onPublish;
  private final Object lock = new Object();
  private final Thread thread;
  private Request pending;
  private long runningStep = -1;
  private NegativeTable published;
  private Throwable failure;
  private volatile boolean closing;

  /**
   * Starts the background thread.
   *
   * @param initial the table the trainer starts with
   * @param onPublish called on the background thread with each new table before the trainer can see it (to persist
   *     and log it)
   */
  public IndexRefresher(Builder builder, NegativeTable initial, Consumer<Built> onPublish) {
    this.builder = builder;
    this.onPublish = onPublish;
    this.published = initial;
    this.thread = new Thread(this::loop, "quarry-ance-refresher");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Asks for a table from the weights of trainer step {@code step}. {@code weights} is called on the trainer's
   * thread now, so the copy is of exactly this step's weights.
   */
  public void request(long step, Supplier<Map<String, NamedTensor>> weights) {
    Map<String, NamedTensor> copy = weights.get();
    synchronized (lock) {
      rethrowFailure();
      pending = new Request(step, () -> copy);
      lock.notifyAll();
    }
  }

  /** The newest published table. */
  public NegativeTable published() {
    synchronized (lock) {
      rethrowFailure();
      return published;
    }
  }

  /** The newest step a table was asked for and will be published for (running or waiting), if any. */
  public Optional<Long> newestRequested() {
    synchronized (lock) {
      long newest = Math.max(runningStep, pending == null ? -1 : pending.step());
      return newest < 0 ? Optional.empty() : Optional.of(newest);
    }
  }

  /**
   * Blocks until a table of step {@code minStep} or later is published and returns it.
   *
   * @throws IllegalStateException when no such table was requested (it would wait forever), or the background
   *     refresh failed
   */
  public NegativeTable awaitStep(long minStep) throws InterruptedException {
    synchronized (lock) {
      while (true) {
        rethrowFailure();
        if (published.step() >= minStep) {
          return published;
        }
        long newest = Math.max(runningStep, pending == null ? -1 : pending.step());
        if (newest < minStep) {
          throw new IllegalStateException("waiting for an index of step " + minStep + " that nobody requested "
              + "(newest request: step " + newest + ")");
        }
        lock.wait();
      }
    }
  }

  private void loop() {
    while (true) {
      Request r;
      synchronized (lock) {
        while (pending == null && !closing) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closing) {
          return;
        }
        r = pending;
        pending = null;
        runningStep = r.step();
      }
      try {
        Built built = builder.build(r.step(), r.weights().get(), () -> {
          if (closing) {
            throw new CancellationException("the trainer finished");
          }
        });
        onPublish.accept(built);
        synchronized (lock) {
          published = built.table();
          runningStep = -1;
          lock.notifyAll();
        }
      } catch (CancellationException e) {
        return;
      } catch (Throwable t) {
        synchronized (lock) {
          failure = t;
          runningStep = -1;
          lock.notifyAll();
        }
        return;
      }
    }
  }

  private void rethrowFailure() {
    if (failure != null) {
      throw new IllegalStateException("the background index refresh failed: " + failure, failure);
    }
  }

  /** Cancels a running refresh at its next check, drops a waiting one and joins the thread. */
  @Override
  public void close() {
    closing = true;
    synchronized (lock) {
      lock.notifyAll();
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
