package io.hostmesh.mesh;

import io.hostmesh.testing.ScriptedUnit;

import static io.hostmesh.mesh.TestUnits.ALPHA;
import static io.hostmesh.mesh.TestUnits.BETA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.targets.Targets;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.schema.unit.UnitStateChanged;
import io.hostmesh.schema.unit.UnitTopics;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.unit.Condition;
import io.hostmesh.unit.UnitDescriptor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
@org.junit.jupiter.api.Timeout(30)
class MeshTest {

  @Test
  void requiredTargetThatNobodyProvidesFailsStartNamingBoth(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx)
        .unit(() -> TestUnits.ok(UnitDescriptor.named("chrony-like").requires(Targets.TIME_SYNC_HTTPS_WAIT).build()))
        .build()) {
      Throwable cause = awaitFailure(dev.mesh().start());
      MeshException me = assertInstanceOf(MeshException.class, cause);
      assertTrue(me.getMessage().contains("'chrony-like'"), me.getMessage());
      assertTrue(me.getMessage().contains("time-sync-https-wait"), me.getMessage());
      assertTrue(dev.mesh().units().stream().allMatch(u -> u.state() == UnitState.INACTIVE), "nothing started");
    }
  }

  @Test
  void cycleIsRefusedWithItsPath(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx)
        .unit(() -> TestUnits.ok(UnitDescriptor.named("a").requires(BETA).provides(ALPHA).build()))
        .unit(() -> TestUnits.ok(UnitDescriptor.named("b").requires(ALPHA).provides(BETA).build()))
        .build()) {
      MeshException me = assertInstanceOf(MeshException.class, awaitFailure(dev.start()));
      assertTrue(me.getMessage().contains("dependency cycle: a -> b -> a"), me.getMessage());
    }
  }

  @Test
  void duplicateNamesAreRefused(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx)
        .unit(() -> TestUnits.ok(UnitDescriptor.named("twin").build()))
        .unit(() -> TestUnits.ok(UnitDescriptor.named("twin").build()))
        .build()) {
      assertTrue(awaitFailure(dev.start()).getMessage().contains("two units are named 'twin'"));
    }
  }

  @Test
  void unitWaitsForItsTargetThenStartsAndTargetWaitsForAllProviders(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx).virtualTime()
        .unit(() -> TestUnits.ok(UnitDescriptor.named("consumer").requires(ALPHA).build()))
        .unit(() -> new ScriptedUnit(UnitDescriptor.named("slow").provides(ALPHA).build(),
            u -> u.scheduler().sleep(Duration.ofSeconds(5))))
        .unit(() -> TestUnits.ok(UnitDescriptor.named("skipped").provides(ALPHA)
            .condition(Condition.pathExists("/nope")).build()))
        .build()) {
      dev.start().await();
      assertEquals(UnitState.WAITING, dev.mesh().unit("consumer").orElseThrow().state());
      assertEquals("waiting for alpha", dev.mesh().unit("consumer").orElseThrow().detail());
      assertEquals(UnitState.SKIPPED, dev.mesh().unit("skipped").orElseThrow().state());
      dev.time().awaitPending(1).await();
      dev.time().advanceBy(Duration.ofSeconds(5)).await();
      dev.awaitUnit("consumer", UnitState.EXITED).await();
      assertEquals(5000, dev.bus().latest(ALPHA).orElseThrow().uptimeMillis(), "alpha reached when slow ended");
    }
  }

  @Test
  void alwaysRestartingUnitEndsFailedAtStartLimitOnVirtualTime(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx).virtualTime()
        .unit(() -> TestUnits.failing(UnitDescriptor.named("flaky").restart(TestUnits.always(10, 3, 60)).build(), "boom"))
        .build()) {
      dev.start().await();
      dev.awaitUnit("flaky", UnitState.FAILED).await();
      for (int i = 0; i < 3; i++) {
        dev.time().awaitPending(1).await();
        dev.time().advanceBy(Duration.ofSeconds(10)).await();
      }
      UnitStateChanged last = dev.await(UnitTopics.state("flaky"), c -> c.detail().startsWith("start-limit-hit")).await();
      assertEquals(UnitState.FAILED, last.state());
      List<UnitStateChanged> starts = dev.mesh().timeline().stream()
          .filter(c -> c.unit().equals("flaky") && c.state() == UnitState.ACTIVATING).toList();
      assertEquals(List.of(0L, 10_000L, 20_000L), starts.stream().map(UnitStateChanged::uptimeMillis).toList(),
          "started at 0, then restarted after each 10 s delay, then refused by the start limit");
      assertEquals(0, dev.time().pending(), "no restart is scheduled after the start limit");
    }
  }

  @Test
  void watchdogWithoutPingFailsAndRestartsTheService(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx).virtualTime()
        .unit(() -> TestUnits.ok(UnitDescriptor.named("silent").service().watchdog(Duration.ofSeconds(8))
            .restart(TestUnits.always(1, 5, 60)).build()))
        .build()) {
      dev.start().await();
      dev.awaitUnit("silent", UnitState.ACTIVE).await();
      dev.time().awaitPending(1).await();
      dev.time().advanceBy(Duration.ofSeconds(8)).await();
      UnitStateChanged failed = dev.await(UnitTopics.state("silent"), c -> c.state() == UnitState.FAILED).await();
      assertTrue(failed.detail().startsWith("watchdog timeout"), failed.detail());
      assertEquals(8000, failed.uptimeMillis(), "failed when the 8 s watchdog expired");
      dev.time().awaitPending(1).await();
      dev.time().advanceBy(Duration.ofSeconds(1)).await();
      dev.await(UnitTopics.state("silent"), c -> c.state() == UnitState.ACTIVE && c.uptimeMillis() == 9000).await();
      assertEquals(1, dev.mesh().unit("silent").orElseThrow().restarts());
    }
  }

  @Test
  void failReportedByARunningServiceStopsItAndAppliesPolicy(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx).virtualTime()
        .unit(() -> new ScriptedUnit(UnitDescriptor.named("worker").service().restart(TestUnits.always(2, 5, 60)).build(),
            u -> {
              u.scheduler().schedule(Duration.ofSeconds(3), () -> u.fail("lost its socket"));
              return Future.succeededFuture();
            }))
        .build()) {
      dev.start().await();
      dev.awaitUnit("worker", UnitState.ACTIVE).await();
      dev.time().awaitPending(1).await();
      dev.time().advanceBy(Duration.ofSeconds(3)).await();
      dev.await(UnitTopics.state("worker"), c -> c.state() == UnitState.FAILED && c.detail().equals("lost its socket")).await();
      dev.time().awaitPending(1).await();
      dev.time().advanceBy(Duration.ofSeconds(2)).await();
      UnitStateChanged back = dev.await(UnitTopics.state("worker"), c -> c.state() == UnitState.ACTIVE && c.uptimeMillis() == 5000).await();
      assertEquals(1, dev.mesh().unit("worker").orElseThrow().restarts(), back.toString());
    }
  }

  @Test
  void stopRunsInReverseStartOrder(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx)
        .unit(() -> TestUnits.ok(UnitDescriptor.named("first").provides(ALPHA).build()))
        .unit(() -> TestUnits.ok(UnitDescriptor.named("second").requires(ALPHA).build()))
        .build()) {
      dev.start().await();
      dev.mesh().whenSettled().await();
      dev.stop().await();
      List<String> stopped = dev.mesh().timeline().stream().filter(c -> c.state() == UnitState.DEACTIVATING)
          .map(UnitStateChanged::unit).toList();
      assertEquals(List.of("second", "first"), stopped);
    }
  }

  @Test
  void restartPolicyFromTheSettingsOverridesTheDescriptor(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx).virtualTime()
        .settings(j -> j.put("units", new io.vertx.core.json.JsonObject().put("flaky",
            new io.vertx.core.json.JsonObject().put("restart", new io.vertx.core.json.JsonObject()
                .put("mode", "on-failure").put("delaySeconds", 3).put("burst", 2).put("intervalSeconds", 60)))))
        .unit(() -> TestUnits.failing(UnitDescriptor.named("flaky").build(), "boom"))
        .build()) {
      dev.start().await();
      dev.awaitUnit("flaky", UnitState.FAILED).await();
      dev.time().awaitPending(1).await();
      assertEquals(3000, dev.time().nextDue(), "restarted after the configured 3 s");
      dev.time().advanceBy(Duration.ofSeconds(3)).await();
      dev.time().awaitPending(1).await();
      dev.time().advanceBy(Duration.ofSeconds(3)).await();
      UnitStateChanged last = dev.await(UnitTopics.state("flaky"), c -> c.detail().startsWith("start-limit-hit")).await();
      assertTrue(last.detail().contains("2 starts"), last.detail());
    }
  }

  @Test
  void statusDetailOfAnActiveUnitShowsWithoutChangingItsState(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx).virtualTime()
        .unit(() -> new ScriptedUnit(UnitDescriptor.named("watcher").service().build(), u -> {
          u.status("config.json refused at /dnsServers: not a string");
          u.scheduler().schedule(Duration.ofSeconds(6), () -> u.status("later: another refusal"));
          return Future.succeededFuture();
        }))
        .build()) {
      dev.start().await();
      UnitStateChanged c = dev.await(UnitTopics.state("watcher"), x -> !x.detail().isEmpty()).await();
      assertEquals(UnitState.ACTIVE, c.state());
      assertEquals("config.json refused at /dnsServers: not a string", dev.mesh().unit("watcher").orElseThrow().detail());
      long settledAt = dev.mesh().unit("watcher").orElseThrow().settledMillis();
      dev.time().awaitPending(1).await();
      dev.time().advanceBy(Duration.ofSeconds(6)).await();
      dev.await(UnitTopics.state("watcher"), x -> x.detail().startsWith("later")).await();
      assertEquals(settledAt, dev.mesh().unit("watcher").orElseThrow().settledMillis(),
          "a detail update does not move the time the unit came up (blame, critical-chain)");
    }
  }

  @Test
  void stopWaitsForAUnitStillStarting(Vertx vertx) {
    java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
    io.vertx.core.Promise<Void> release = io.vertx.core.Promise.promise();
    try (SimDevice dev = SimDevice.builder(vertx)
        .unit(() -> new ScriptedUnit(UnitDescriptor.named("slow-start").service().build(), u -> release.future()) {
          @Override
          public Future<?> stop() {
            stopped.set(true);
            return Future.succeededFuture();
          }
        })
        .build()) {
      dev.start().await();
      dev.awaitUnit("slow-start", UnitState.ACTIVATING).await();
      Future<Void> stopping = dev.stop();
      assertTrue(!stopping.isComplete(), "stop waits while the unit is still starting");
      release.complete();
      stopping.await();
      assertTrue(stopped.get(), "the unit that finished starting during stop was stopped");
    }
  }

  private static Throwable awaitFailure(Future<?> f) {
    return f.map(v -> (Throwable) null).otherwise(e -> e).await();
  }
}
