package dev.quarry.ance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.model.NamedTensor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The refresher's scheduling, with a fake builder: no model involved. */
@Timeout(30)
class IndexRefresherTest {
  private static NegativeTable table(long step) {
    return new NegativeTable(step, Map.of("q", List.of("d" + step)));
  }

  private static Map<String, NamedTensor> weights() {
    return Map.of("w", new NamedTensor("w", new long[] {1}, new float[] {1}));
  }

  @Test
  void aWaitingRequestIsReplacedByANewerOneAndTheTrainerGetsTheNewestTable() throws Exception {
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Long> built = new CopyOnWriteArrayList<>();
    List<Long> published = new CopyOnWriteArrayList<>();
    try (IndexRefresher r = new IndexRefresher((step, w, cancelled) -> {
      built.add(step);
      if (step == 10) {
        firstStarted.countDown();
        release.await();
      }
      return new IndexRefresher.Built(table(step), 1, 0, 0);
    }, table(0), b -> published.add(b.table().step()))) {
      assertThat(r.published().step()).isZero();
      r.request(10, IndexRefresherTest::weights);
      assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
      r.request(20, IndexRefresherTest::weights);   // waits behind the running refresh...
      r.request(30, IndexRefresherTest::weights);   // ...and is replaced by this newer one
      assertThat(r.newestRequested()).contains(30L);
      release.countDown();
      assertThat(r.awaitStep(30).step()).isEqualTo(30);
      assertThat(built).containsExactly(10L, 30L);
      assertThat(published).containsExactly(10L, 30L);
      assertThat(r.awaitStep(-1).step()).as("no wait needed").isEqualTo(30);
    }
  }

  @Test
  void waitingForATableNobodyAskedForIsAnErrorNotAHang() {
    try (IndexRefresher r = new IndexRefresher((step, w, c) -> new IndexRefresher.Built(table(step), 0, 0, 0),
        table(5), b -> { })) {
      assertThatThrownBy(() -> r.awaitStep(6)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("nobody requested");
    }
  }

  @Test
  void aFailedRefreshIsRethrownOnTheTrainersThread() throws Exception {
    try (IndexRefresher r = new IndexRefresher((step, w, c) -> {
      throw new IllegalStateException("out of memory in the encoder");
    }, table(0), b -> { })) {
      r.request(4, IndexRefresherTest::weights);
      assertThatThrownBy(() -> r.awaitStep(4)).hasMessageContaining("background index refresh failed")
          .hasMessageContaining("out of memory in the encoder");
      assertThatThrownBy(r::published).hasMessageContaining("out of memory in the encoder");
    }
  }

  @Test
  void closeCancelsARunningRefreshAtItsNextCheck() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean cancelled = new AtomicBoolean();
    List<Long> published = new CopyOnWriteArrayList<>();
    IndexRefresher r = new IndexRefresher((step, w, check) -> {
      started.countDown();
      try {
        while (true) {
          check.check();
          Thread.sleep(5);
        }
      } catch (java.util.concurrent.CancellationException e) {
        cancelled.set(true);
        throw e;
      }
    }, table(0), b -> published.add(b.table().step()));
    r.request(1, IndexRefresherTest::weights);
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    r.close();
    assertThat(cancelled).isTrue();
    assertThat(published).isEmpty();
  }

  @Test
  void theScheduleBoundsHowFarTheTrainerRunsAhead() {
    AnceConfig sync = new AnceConfig(5, 0, 20, 1, 20, 1, dev.quarry.index.IndexType.FLAT, "cpu", 8);
    assertThat(sync.refreshesBefore(0)).isFalse();
    assertThat(sync.refreshesBefore(5)).isTrue();
    assertThat(sync.requiredTableStep(4)).isZero();
    assertThat(sync.requiredTableStep(5)).as("max_gap 0: the step's own refresh").isEqualTo(5);
    assertThat(sync.requiredTableStep(9)).isEqualTo(5);
    AnceConfig loose = new AnceConfig(5, 7, 20, 1, 20, 1, dev.quarry.index.IndexType.FLAT, "cpu", 8);
    assertThat(loose.requiredTableStep(6)).as("nothing required yet").isEqualTo(-1);
    assertThat(loose.requiredTableStep(11)).isZero();
    assertThat(loose.requiredTableStep(12)).as("the request of step 5, 7 steps ago").isEqualTo(5);
    assertThatThrownBy(() -> new AnceConfig(5, 0, 10, 1, 20, 1, dev.quarry.index.IndexType.FLAT, "cpu", 8))
        .hasMessageContaining("ance.depth must be at least ance.rank_to");
    assertThatThrownBy(() -> new AnceConfig(5, 0, 30, 21, 20, 1, dev.quarry.index.IndexType.FLAT, "cpu", 8))
        .hasMessageContaining("rank_from <= rank_to");
  }
}
