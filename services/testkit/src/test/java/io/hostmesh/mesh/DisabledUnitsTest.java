package io.hostmesh.mesh;

import io.hostmesh.testing.ScriptedUnit;

import static io.hostmesh.mesh.TestUnits.ALPHA;
import static io.hostmesh.mesh.TestUnits.BETA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.bus.Topic;
import io.hostmesh.schema.targets.NetworkState;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.unit.UnitDescriptor;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code units.<name>.enabled: false}: listed as disabled, never started, counted as done by targets. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
@org.junit.jupiter.api.Timeout(30)
class DisabledUnitsTest {
  static final Topic<NetworkState> UPLINK = Topic.state("unit.uplink.state", NetworkState.class);

  private static JsonObject off(String... names) {
    JsonObject units = new JsonObject();
    for (String n : names) {
      units.put(n, new JsonObject().put("enabled", false));
    }
    return units;
  }

  @Test
  void disabledUnitsAreListedAndTheTargetsTheyProvideStillLatch(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx).virtualTime()
        .settings(j -> j.put("units", off("alpha-off", "beta-off")))
        .unit(() -> TestUnits.ok(UnitDescriptor.named("alpha-off").provides(ALPHA).build()))
        .unit(() -> new ScriptedUnit(UnitDescriptor.named("alpha-on").provides(ALPHA).build(),
            u -> u.scheduler().sleep(Duration.ofSeconds(5))))
        .unit(() -> TestUnits.ok(UnitDescriptor.named("beta-off").provides(BETA).build()))
        .unit(() -> TestUnits.ok(UnitDescriptor.named("needs-alpha").requires(ALPHA).build()))
        .unit(() -> TestUnits.ok(UnitDescriptor.named("needs-beta").requires(BETA).build()))
        .build()) {
      dev.start().await();
      assertEquals(List.of("alpha-off", "alpha-on", "beta-off", "needs-alpha", "needs-beta"),
          dev.mesh().units().stream().map(UnitStatus::name).toList(), "every unit is listed");
      UnitStatus off = dev.mesh().unit("beta-off").orElseThrow();
      assertEquals(UnitState.DISABLED, off.state());
      assertEquals("units.beta-off.enabled is false", off.detail());
      dev.awaitUnit("needs-beta", UnitState.EXITED).await();
      assertEquals(0, dev.bus().latest(BETA).orElseThrow().uptimeMillis(), "beta, provided only by a disabled unit, latched at once");
      assertEquals(UnitState.WAITING, dev.mesh().unit("needs-alpha").orElseThrow().state(), "alpha still waits for alpha-on");
      dev.time().awaitPending(1).await();
      dev.time().advanceBy(Duration.ofSeconds(5)).await();
      dev.awaitUnit("needs-alpha", UnitState.EXITED).await();
      dev.mesh().whenSettled().await();
      assertTrue(dev.mesh().boot().finishedMillis() >= 5000, dev.mesh().boot().toString());
      assertEquals(UnitState.DISABLED, dev.mesh().unit("alpha-off").orElseThrow().state(), "never started");
      assertTrue(dev.mesh().timeline().stream().noneMatch(c -> c.unit().endsWith("-off")), "no state change of a disabled unit");
    }
  }

  @Test
  void aStateTopicOnlyADisabledUnitPublishesIsNamedInTheWait(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx)
        .settings(j -> j.put("units", off("uplink")))
        .unit(() -> TestUnits.ok(UnitDescriptor.named("uplink").service().publishes(UPLINK).build()))
        .unit(() -> TestUnits.ok(UnitDescriptor.named("reporter").requires(UPLINK, NetworkState::online, "uplink").build()))
        .build()) {
      dev.start().await();
      UnitStatus r = dev.mesh().unit("reporter").orElseThrow();
      assertEquals(UnitState.WAITING, r.state());
      assertEquals("waiting for uplink (published only by disabled uplink)", r.detail());
    }
  }

  @Test
  void aDisabledUnitsOwnNeedsAreNoGraphError(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx)
        .settings(j -> j.put("units", off("plugin", "loop-a")))
        .unit(() -> TestUnits.ok(UnitDescriptor.named("plugin").requires(Topic.state("target.nobody", io.hostmesh.schema.targets.Target.class)).build()))
        .unit(() -> TestUnits.ok(UnitDescriptor.named("loop-a").requires(BETA).provides(ALPHA).build()))
        .unit(() -> TestUnits.ok(UnitDescriptor.named("loop-b").requires(ALPHA).provides(BETA).build()))
        .build()) {
      dev.start().await();
      dev.awaitUnit("loop-b", UnitState.EXITED).await();
      assertEquals(UnitState.DISABLED, dev.mesh().unit("plugin").orElseThrow().state());
    }
  }
}
