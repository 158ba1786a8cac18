package io.hostmesh.mesh;

import io.hostmesh.testing.ScriptedUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.targets.NetworkState;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.schema.unit.UnitStateChanged;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.unit.RestartPolicy;
import io.hostmesh.unit.UnitDescriptor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link Mesh#restart} and {@link Mesh#resetFailed}, as systemctl restart and reset-failed. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
@org.junit.jupiter.api.Timeout(30)
class UnitRequestsTest {
  /** A service that counts its live instances, starts and stops. */
  static final class Counted {
    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger stops = new AtomicInteger();
    final AtomicInteger live = new AtomicInteger();
    final AtomicInteger mostLive = new AtomicInteger();

    ScriptedUnit unit(UnitDescriptor d, java.util.function.Supplier<Future<?>> body) {
      return new ScriptedUnit(d, u -> {
        starts.incrementAndGet();
        mostLive.accumulateAndGet(live.incrementAndGet(), Math::max);
        return body.get();
      }) {
        @Override
        public Future<?> stop() {
          stops.incrementAndGet();
          live.decrementAndGet();
          return Future.succeededFuture();
        }
      };
    }
  }

  @Test
  void restartStopsTheRunningInstanceAndStartsANewOne(Vertx vertx) {
    Counted c = new Counted();
    try (SimDevice dev = SimDevice.builder(vertx)
        .unit(() -> c.unit(UnitDescriptor.named("daemon").service().build(), Future::succeededFuture)).build()) {
      dev.start().await();
      dev.awaitUnit("daemon", UnitState.ACTIVE).await();
      UnitStatus after = dev.mesh().restart("daemon").await();
      assertEquals(UnitState.ACTIVE, after.state());
      assertEquals(2, c.starts.get());
      assertEquals(1, c.stops.get());
      assertEquals(1, c.live.get());
      assertEquals(0, after.restarts(), "a requested restart is not one of the supervisor's (systemd's NRestarts)");
      List<String> steps = dev.mesh().timeline().stream().filter(x -> x.unit().equals("daemon"))
          .map(x -> x.state().label() + (x.detail().isEmpty() ? "" : " (" + x.detail() + ")")).toList();
      assertEquals(List.of("activating", "active", "deactivating (restart requested)",
          "inactive (stopped for restart)", "activating (restarted by request)", "active"), steps);
    }
  }

  @Test
  void stopEndsTheInstanceAndKeepsTheUnitDownUntilStartedAgain(Vertx vertx) {
    Counted c = new Counted();
    try (SimDevice dev = SimDevice.builder(vertx)
        .unit(() -> c.unit(UnitDescriptor.named("daemon").service().restart(RestartPolicy.always(Duration.ofMillis(1))).build(),
            Future::succeededFuture))
        .unit(() -> ScriptedUnit.failing(UnitDescriptor.named("broken").oneshot().build(), "no"))
        .build()) {
      dev.start().await();
      dev.awaitUnit("daemon", UnitState.ACTIVE).await();
      UnitStatus stopped = dev.mesh().stop("daemon").await();
      assertEquals(UnitState.INACTIVE, stopped.state());
      assertEquals(UnitRequests.STOP_DETAIL, stopped.detail());
      assertEquals(1, c.stops.get());
      assertEquals(0, c.live.get());
      assertEquals(UnitState.INACTIVE, dev.mesh().stop("daemon").await().state(), "stopping a stopped unit is a no-op");
      assertTrue(dev.mesh().allSettled(), "a unit held down counts as done for those waiting on it");
      assertEquals(UnitState.ACTIVE, dev.mesh().restart("daemon").await().state());
      assertEquals(2, c.starts.get());
      dev.awaitUnit("broken", UnitState.FAILED).await();
      assertEquals(UnitState.FAILED, dev.mesh().stop("broken").await().state(), "a failed unit stays failed, as in systemd");
      Throwable unknown = dev.mesh().stop("nope").transform(ar -> Future.succeededFuture(ar.cause())).await();
      assertInstanceOf(UnitRequestRefused.class, unknown);
    }
  }

  @Test
  void aRestartedUnitWaitsForItsRequirementsAgain(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx).external(Targets.NETWORK)
        .unit(() -> TestUnits.ok(UnitDescriptor.named("uplink").service()
            .requires(Targets.NETWORK, NetworkState::online, "network").build())).build()) {
      dev.bus().publish(Targets.NETWORK, new NetworkState(true, "test", Instant.now()));
      dev.start().await();
      dev.awaitUnit("uplink", UnitState.ACTIVE).await();
      dev.bus().publish(Targets.NETWORK, new NetworkState(false, "test", Instant.now()));
      Future<UnitStatus> restart = dev.mesh().restart("uplink");
      UnitStateChanged waiting = dev.await(io.hostmesh.schema.unit.UnitTopics.state("uplink"),
          x -> x.state() == UnitState.WAITING).await();
      assertEquals("waiting for network", waiting.detail());
      assertFalse(restart.isComplete(), "the request completes when the unit has settled");
      dev.bus().publish(Targets.NETWORK, new NetworkState(true, "test", Instant.now()));
      assertEquals(UnitState.ACTIVE, restart.await().state());
    }
  }

  @Test
  void theStartLimitHoldsARequestedRestartUntilResetFailed(Vertx vertx) {
    Counted c = new Counted();
    RestartPolicy twoPerMinute = RestartPolicy.NO.withStartLimit(2, Duration.ofSeconds(60));
    try (SimDevice dev = SimDevice.builder(vertx).virtualTime().external(Targets.NETWORK)
        .unit(() -> c.unit(UnitDescriptor.named("chronyd").service().restart(twoPerMinute).build(), Future::succeededFuture))
        .build()) {
      dev.start().await();
      dev.awaitUnit("chronyd", UnitState.ACTIVE).await();
      assertEquals(UnitState.ACTIVE, dev.mesh().restart("chronyd").await().state(), "second start within the limit");
      UnitStatus refused = dev.mesh().restart("chronyd").await();
      assertEquals(UnitState.FAILED, refused.state(), "third start in 60 s: systemd refuses it too");
      assertEquals(UnitResult.START_LIMIT_HIT, refused.result());
      assertTrue(refused.detail().startsWith("start-limit-hit"), refused.detail());
      assertEquals(UnitState.FAILED, dev.mesh().restart("chronyd").await().state(), "still refused");
      assertEquals(2, c.starts.get());

      UnitStatus reset = dev.mesh().resetFailed("chronyd").await();
      assertEquals(UnitState.INACTIVE, reset.state());
      assertEquals(UnitResult.SUCCESS, reset.result());
      // something the mesh reacts to: a reset unit is not started again by the mesh
      dev.bus().publish(Targets.NETWORK, new NetworkState(true, "test", Instant.now()));
      assertEquals(UnitState.INACTIVE, dev.mesh().unit("chronyd").orElseThrow().state());
      assertTrue(dev.mesh().allSettled(), "a reset unit holds nobody up");
      assertEquals(UnitState.ACTIVE, dev.mesh().restart("chronyd").await().state());
      assertEquals(3, c.starts.get());
      assertEquals(1, c.live.get());
    }
  }

  @Test
  void resetFailedCancelsAPendingAutomaticRestartAndTheRestartCount(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx).virtualTime()
        .unit(() -> TestUnits.failing(UnitDescriptor.named("flaky").restart(TestUnits.always(10, 5, 60)).build(), "boom"))
        .build()) {
      dev.start().await();
      dev.awaitUnit("flaky", UnitState.FAILED).await();
      dev.time().awaitPending(1).await();
      dev.time().advanceBy(Duration.ofSeconds(10)).await();
      dev.time().awaitPending(1).await();
      assertEquals(1, dev.mesh().unit("flaky").orElseThrow().restarts());
      UnitStatus reset = dev.mesh().resetFailed("flaky").await();
      assertEquals(UnitState.INACTIVE, reset.state());
      assertEquals(0, reset.restarts());
      assertEquals(0, dev.time().pending(), "the automatic restart 10 s later is cancelled");
    }
  }

  @Test
  void resetFailedOnAHealthyUnitOnlyForgetsItsStartHistory(Vertx vertx) {
    RestartPolicy onePerMinute = RestartPolicy.NO.withStartLimit(1, Duration.ofSeconds(60));
    try (SimDevice dev = SimDevice.builder(vertx).virtualTime()
        .unit(() -> TestUnits.ok(UnitDescriptor.named("once").service().restart(onePerMinute).build())).build()) {
      dev.start().await();
      dev.awaitUnit("once", UnitState.ACTIVE).await();
      assertEquals(UnitState.ACTIVE, dev.mesh().resetFailed("once").await().state());
      assertEquals(UnitState.ACTIVE, dev.mesh().restart("once").await().state(), "the first start was forgotten");
    }
  }

  @Test
  void aRestartWhileStartingNeverRunsTwoInstances(Vertx vertx) {
    Counted c = new Counted();
    List<Promise<Void>> gates = List.of(Promise.promise(), Promise.promise());
    try (SimDevice dev = SimDevice.builder(vertx)
        .unit(() -> c.unit(UnitDescriptor.named("slow").service().build(), () -> gates.get(c.starts.get() - 1).future()))
        .build()) {
      dev.start().await();
      dev.awaitUnit("slow", UnitState.ACTIVATING).await();
      // ACTIVATING is published before the deployment calls start(): wait for the first start to run
      io.hostmesh.platform.Poll.until(vertx, java.time.Duration.ofSeconds(10), java.time.Duration.ofMillis(2),
          "the first instance started", () -> c.starts.get() == 1).await();
      Future<UnitStatus> restart = dev.mesh().restart("slow");
      dev.awaitUnit("slow", UnitState.DEACTIVATING).await();
      assertEquals(1, c.starts.get(), "the second start waits for the first instance to land and go");
      gates.get(0).complete();
      dev.await(io.hostmesh.schema.unit.UnitTopics.state("slow"), x -> x.state() == UnitState.ACTIVATING
          && x.detail().equals(UnitRequests.RESTART_DETAIL)).await();
      gates.get(1).complete();
      assertEquals(UnitState.ACTIVE, restart.await().state());
      assertEquals(1, c.mostLive.get(), "never two instances at once");
      assertEquals(1, c.stops.get());
    }
  }

  @Test
  void unknownDisabledAndStoppingAreRefusedWithTheirReason(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx).external(Targets.NETWORK)
        .settings(j -> j.put("units", new JsonObject().put("off", new JsonObject().put("enabled", false))))
        .unit(() -> TestUnits.ok(UnitDescriptor.named("off").build()))
        .unit(() -> TestUnits.ok(UnitDescriptor.named("never").requires(Targets.NETWORK).build())).build()) {
      dev.start().await();
      assertEquals(UnitRequestRefused.Reason.NO_SUCH_UNIT, refusal(dev.mesh().restart("nope")).reason());
      assertEquals(UnitRequestRefused.Reason.NO_SUCH_UNIT, refusal(dev.mesh().resetFailed("nope")).reason());
      UnitRequestRefused off = refusal(dev.mesh().restart("off"));
      assertEquals(UnitRequestRefused.Reason.DISABLED, off.reason());
      assertEquals("unit off is disabled (units.off.enabled is false in /etc/hostmesh/hostmesh.json)", off.getMessage());
      Future<UnitStatus> waiting = dev.mesh().restart("never");
      dev.stop().await();
      assertEquals(UnitRequestRefused.Reason.STOPPING, refusal(waiting).reason(), "a request still waiting ends with the mesh");
      assertEquals(UnitRequestRefused.Reason.STOPPING, refusal(dev.mesh().restart("never")).reason());
    }
  }

  private static UnitRequestRefused refusal(Future<?> f) {
    return assertInstanceOf(UnitRequestRefused.class, f.map(v -> (Throwable) null).otherwise(e -> e).await());
  }
}
