package io.hostmesh.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(30)
class VirtualSchedulerTest {
  private static final long HOST_START = 1_700_000_000_000L;
  private final List<String> ran = Collections.synchronizedList(new ArrayList<>());

  private static <T> T get(Future<T> f) throws Exception {
    return f.await(10, TimeUnit.SECONDS);
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  /** A task that notes its name and the virtual uptime it ran at. */
  private Runnable note(VirtualScheduler s, String name) {
    return () -> ran.add(name + "@" + s.uptimeMillis());
  }

  @Test
  void equalDueTimesRunInTheOrderTheyWereScheduled(Vertx vertx) throws Exception {
    VirtualScheduler s = new VirtualScheduler(vertx, HOST_START);
    // from the test thread each call gets its own context, so the tasks run on several event loops
    s.schedule(ms(5000), note(s, "a"));
    s.schedule(ms(5000), note(s, "b"));
    s.schedule(ms(3000), note(s, "early"));
    s.schedule(ms(5000), note(s, "c"));
    s.schedule(ms(5000), note(s, "d"));

    get(s.advanceBy(ms(5000)));

    assertEquals(List.of("early@3000", "a@5000", "b@5000", "c@5000", "d@5000"), ran);
    assertEquals(0, s.pending());
  }

  @Test
  void tasksScheduledByTasksRunInTheSameAdvanceWhenDue(Vertx vertx) throws Exception {
    VirtualScheduler s = new VirtualScheduler(vertx, HOST_START);
    s.schedule(ms(1000), () -> {
      note(s, "first").run();
      s.schedule(ms(1000), note(s, "second"));  // due 2000, after "queued" below (scheduled earlier)
      s.schedule(Duration.ZERO, note(s, "now"));  // due at once
      s.schedule(ms(10_000), note(s, "later"));  // outside the window
    });
    s.schedule(ms(2000), note(s, "queued"));

    get(s.advanceBy(ms(3000)));

    assertEquals(List.of("first@1000", "now@1000", "queued@2000", "second@2000"), ran);
    assertEquals(3000, s.uptimeMillis());
    assertEquals(1, s.pending());
    assertEquals(11_000, s.nextDue());
  }

  @Test
  void uptimeAndHostTimeEqualTheDueTimeWhileATaskRuns(Vertx vertx) throws Exception {
    VirtualScheduler s = new VirtualScheduler(vertx, HOST_START);
    AtomicReference<long[]> seen = new AtomicReference<>();
    s.schedule(ms(1234), () -> seen.set(new long[] {s.uptimeMillis(), s.hostMillis()}));

    get(s.advanceBy(Duration.ofMinutes(1)));

    assertEquals(1234, seen.get()[0]);
    assertEquals(HOST_START + 1234, seen.get()[1]);
    assertEquals(60_000, s.uptimeMillis());
    assertEquals(HOST_START + 60_000, s.hostMillis());
  }

  @Test
  void advanceToNextJumpsToTheNextTaskAndRunsEveryTaskDueThen(Vertx vertx) throws Exception {
    VirtualScheduler s = new VirtualScheduler(vertx, HOST_START);
    s.schedule(ms(7000), note(s, "a"));
    s.schedule(ms(7000), note(s, "b"));
    s.schedule(ms(9000), note(s, "c"));

    get(s.advanceToNext());

    assertEquals(List.of("a@7000", "b@7000"), ran);
    assertEquals(7000, s.uptimeMillis());
    get(s.advanceToNext());
    get(s.advanceToNext()); // nothing left: time stays
    assertEquals(List.of("a@7000", "b@7000", "c@9000"), ran);
    assertEquals(9000, s.uptimeMillis());
  }

  @Test
  void aCancelledTaskNeverRunsAndCancelSaysWhetherItStoppedSomething(Vertx vertx) throws Exception {
    VirtualScheduler s = new VirtualScheduler(vertx, HOST_START);
    Timer cancelled = s.schedule(ms(5000), note(s, "cancelled"));
    Timer done = s.schedule(ms(1000), note(s, "done"));

    assertTrue(cancelled.cancel());
    assertFalse(cancelled.cancel(), "a second cancel stops nothing");
    assertEquals(1, s.pending());
    get(s.advanceBy(ms(10_000)));

    assertEquals(List.of("done@1000"), ran);
    assertFalse(done.cancel(), "a task that already ran cannot be cancelled");
    assertEquals(0, s.pending());
  }

  @Test
  void aTaskCanCancelAnotherDueLaterOrAtTheSameTime(Vertx vertx) throws Exception {
    VirtualScheduler s = new VirtualScheduler(vertx, HOST_START);
    AtomicReference<Timer> sameTime = new AtomicReference<>();
    AtomicReference<Timer> later = new AtomicReference<>();
    List<Boolean> answers = Collections.synchronizedList(new ArrayList<>());
    s.schedule(ms(2000), () -> {
      answers.add(sameTime.get().cancel());
      answers.add(later.get().cancel());
    });
    sameTime.set(s.schedule(ms(2000), note(s, "same-time")));
    later.set(s.schedule(ms(3000), note(s, "later")));
    s.schedule(ms(3000), note(s, "kept"));

    get(s.advanceBy(ms(5000)));

    assertEquals(List.of(true, true), answers);
    assertEquals(List.of("kept@3000"), ran);
  }

  @Test
  void periodicTasksRunEveryPeriodUntilCancelledFromOutside(Vertx vertx) throws Exception {
    VirtualScheduler s = new VirtualScheduler(vertx, HOST_START);
    Timer tick = s.periodic(ms(1000), note(s, "tick"));

    get(s.advanceBy(ms(3500)));
    assertEquals(List.of("tick@1000", "tick@2000", "tick@3000"), ran);
    assertEquals(4000, s.nextDue());
    get(s.advanceBy(ms(500)));
    assertEquals(List.of("tick@1000", "tick@2000", "tick@3000", "tick@4000"), ran);

    assertTrue(tick.cancel(), "a periodic task that keeps running can be cancelled");
    assertFalse(tick.cancel());
    get(s.advanceBy(ms(10_000)));
    assertEquals(4, ran.size());
    assertEquals(0, s.pending());
  }

  @Test
  void aPeriodicTaskCanCancelItselfOrBeCancelledByAnother(Vertx vertx) throws Exception {
    VirtualScheduler s = new VirtualScheduler(vertx, HOST_START);
    AtomicInteger selfRuns = new AtomicInteger();
    AtomicReference<Timer> self = new AtomicReference<>();
    self.set(s.periodic(ms(1000), () -> {
      if (selfRuns.incrementAndGet() == 2) {
        self.get().cancel();
      }
    }));
    Timer other = s.periodic(ms(700), note(s, "other"));
    s.schedule(ms(1500), other::cancel);

    get(s.advanceBy(ms(10_000)));

    assertEquals(2, selfRuns.get());
    assertEquals(List.of("other@700", "other@1400"), ran);
    assertEquals(0, s.pending());
  }

  @Test
  void aTaskRunsOnTheContextThatScheduledIt(Vertx vertx) throws Exception {
    VirtualScheduler s = new VirtualScheduler(vertx, HOST_START);
    Context owner = vertx.getOrCreateContext();
    Promise<Context> seen = Promise.promise();
    Promise<Void> armed = Promise.promise();
    owner.runOnContext(v -> {
      s.schedule(ms(100), () -> seen.complete(Vertx.currentContext()));
      armed.complete();
    });
    get(armed.future());

    get(s.advanceBy(ms(100)));

    assertSame(owner, get(seen.future()));
  }

  @Test
  void aTaskThatThrowsDoesNotStopTheOthers(Vertx vertx) throws Exception {
    VirtualScheduler s = new VirtualScheduler(vertx, HOST_START);
    s.schedule(ms(1000), () -> {
      throw new IllegalStateException("expected by the test");
    });
    s.schedule(ms(2000), note(s, "after"));

    get(s.advanceBy(ms(3000)));

    assertEquals(List.of("after@2000"), ran);
  }

  @Test
  void sleepCompletesExactlyWhenItsTimeComes(Vertx vertx) throws Exception {
    VirtualScheduler s = new VirtualScheduler(vertx, HOST_START);
    Future<Void> slept = s.sleep(Duration.ofSeconds(64));

    get(s.advanceBy(ms(63_999)));
    assertFalse(slept.isComplete());
    get(s.advanceBy(ms(1)));
    assertTrue(slept.succeeded());
  }
}
