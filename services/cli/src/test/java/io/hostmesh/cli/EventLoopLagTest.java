package io.hostmesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.api.HttpApi;
import io.hostmesh.mesh.EventLoopLag;
import io.hostmesh.platform.Poll;
import io.hostmesh.testing.SimDevice;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Vert.x sizing settings and the event-loop lag probe on a Vert.x made from them: every loop
 * probed, a blocked loop seen as lag and as Vert.x's blocked-thread warning at the configured
 * limit, the samples on {@code /metrics}, and nothing left deployed after stop.
 */
@Timeout(30)
class EventLoopLagTest {
  /** Vert.x's blocked-thread checker logs through java.util.logging under this name (no SLF4J provider here). */
  static final String CHECKER_LOGGER = "io.vertx.core.impl.BlockedThreadChecker";

  @Test
  void defaultsFitASmallDeviceAndBadValuesAreRefused() {
    VertxSizing d = new VertxSizing(new JsonObject());
    assertEquals(2, d.eventLoops());
    assertEquals(4, d.workers());
    assertEquals(4, d.internalBlocking());
    assertEquals(2000, d.blockedThreadWarnMs());
    assertEquals(1000, d.options().getBlockedThreadCheckInterval(), "checked at most once a second");
    assertEquals(Duration.ofMillis(10), d.lagProbe());
    VertxSizing small = new VertxSizing(new JsonObject().put("eventLoops", 1).put("workers", 2).put("internalBlocking", 3)
        .put("blockedThreadWarnMs", 50).put("lagProbeMs", 0));
    assertEquals(1, small.options().getEventLoopPoolSize());
    assertEquals(2, small.options().getWorkerPoolSize());
    assertEquals(3, small.options().getInternalBlockingPoolSize());
    assertEquals(25, small.options().getBlockedThreadCheckInterval(), "twice per limit");
    assertTrue(small.lagProbe().isZero());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new VertxSizing(new JsonObject().put("workers", 0)).workers());
    assertTrue(e.getMessage().contains("vertx.workers"), e.getMessage());
  }

  @Test
  void blockedLoopShowsAsLagAsAWarningAndOnMetrics() throws Exception {
    VertxSizing sizing = new VertxSizing(new JsonObject().put("eventLoops", 2).put("blockedThreadWarnMs", 50));
    Vertx vertx = sizing.create();
    AtomicInteger warnings = new AtomicInteger();
    Logger checker = Logger.getLogger(CHECKER_LOGGER);
    Handler counter = new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (String.valueOf(r.getMessage()).contains("has been blocked")) {
          warnings.incrementAndGet();
        }
      }

      @Override
      public void flush() { }

      @Override
      public void close() { }
    };
    checker.addHandler(counter);
    try (SimDevice dev = SimDevice.builder(vertx).build()) {
      EventLoopLag lag = EventLoopLag.start(vertx, sizing.eventLoops(), Duration.ofMillis(10)).await();
      assertEquals(2, lag.threads().size(), "one probe on each event loop: " + lag.threads());
      LongAccumulator max = new LongAccumulator(Math::max, 0);
      lag.addListener((loop, nanos) -> max.accumulate(nanos));
      dev.start().await();
      HttpApi api = new HttpApi(dev.mesh(), "127.0.0.1", 0, lag);
      vertx.deployVerticle(api).await();

      // a handler that keeps its loop for 200 ms: that loop's timer fires late, the checker warns
      vertx.deployVerticle(new VerticleBase() {
        @Override
        public Future<?> start() {
          long end = System.nanoTime() + 200_000_000L;
          while (System.nanoTime() < end) {
            Thread.onSpinWait();
          }
          return Future.succeededFuture();
        }
      }).await();
      Poll.until(vertx, Duration.ofSeconds(10), Duration.ofMillis(20), "a lag of 100 ms or more",
          () -> max.get() >= 100_000_000L).await();
      Poll.until(vertx, Duration.ofSeconds(10), Duration.ofMillis(20), "a blocked-thread warning", () -> warnings.get() > 0).await();

      String metrics = WebClient.create(vertx).getAbs("http://127.0.0.1:" + api.port() + "/metrics").send().await().bodyAsString();
      assertTrue(metrics.contains("hostmesh_event_loop_lag_seconds_bucket{loop=\"0\",le=\"0.001\"}"), metrics);
      assertTrue(metrics.contains("hostmesh_event_loop_lag_seconds_bucket{loop=\"1\",le=\"5.0\"}"), metrics);
      assertTrue(metrics.contains("hostmesh_event_loop_lag_seconds_max{loop="), metrics);

      int deployed = vertx.deploymentIDs().size();
      lag.stop().await();
      assertEquals(deployed - 1, vertx.deploymentIDs().size(), "the probes' deployment is gone");
    } finally {
      checker.removeHandler(counter);
      vertx.close().await();
    }
  }
}
