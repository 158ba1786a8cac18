package io.hostmesh.units.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.bus.Bus;
import io.hostmesh.mesh.Mesh;
import io.hostmesh.mesh.MeshSettings;
import io.hostmesh.platform.Profile;
import io.hostmesh.platform.VirtualScheduler;
import io.hostmesh.schema.https.HttpsTopics;
import io.hostmesh.schema.https.SimNetworkChange;
import io.hostmesh.schema.targets.NetworkState;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.schema.unit.LogLine;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class NetworkUnitTest {
  /** Stands for timesync-https: starts only once the network is online. */
  public static final class NeedsNetwork extends UnitVerticle {
    @Override
    public UnitDescriptor descriptor() {
      return UnitDescriptor.named("needs-network").oneshot()
          .requires(Targets.NETWORK, NetworkState::online, "network").build();
    }

    @Override
    public Future<?> start() {
      return Future.succeededFuture();
    }
  }

  static <T> T get(Future<T> f) throws Exception {
    return f.await(20, TimeUnit.SECONDS);
  }

  @Test
  void simNetworkIsUpAtStart(Vertx vertx) throws Exception {
    try (SimDevice dev = SimDevice.builder(vertx).unit(NetworkUnit::new).unit(NeedsNetwork::new).build()) {
      get(dev.start());
      NetworkState s = get(dev.await(Targets.NETWORK, x -> true));
      assertTrue(s.online());
      assertEquals("sim start", s.reason());
      get(dev.awaitUnit("needs-network", UnitState.EXITED));
      get(dev.stop());
    }
  }

  @Test
  void aDownFileHoldsTheTargetUntilTheBusBringsItUp(Vertx vertx) throws Exception {
    try (SimDevice dev = SimDevice.builder(vertx).unit(NetworkUnit::new).unit(NeedsNetwork::new)
        .file(NetworkUnit.SIM_STATE_FILE, "down\n").build()) {
      get(dev.start());
      NetworkState s = get(dev.await(Targets.NETWORK, x -> true));
      assertFalse(s.online());
      get(dev.awaitUnit("needs-network", UnitState.WAITING));
      NetworkState up = get(dev.bus().request(HttpsTopics.SET_SIM_NETWORK, new SimNetworkChange(true, "test")));
      assertTrue(up.online());
      assertEquals("test", up.reason());
      get(dev.awaitUnit("needs-network", UnitState.EXITED));
      // the switch is written (atomically) so a simulated reboot keeps it
      assertEquals("up\n", dev.readFile(NetworkUnit.SIM_STATE_FILE));
      get(dev.stop());
    }
  }

  @Test
  void theSwitchSurvivesASimulatedReboot(Vertx vertx, @TempDir Path root) throws Exception {
    try (SimDevice dev = SimDevice.builder(vertx).root(root).unit(NetworkUnit::new).build()) {
      get(dev.start());
      get(dev.awaitUnit("network", io.hostmesh.schema.unit.UnitState.ACTIVE)); // its request handler is up
      get(dev.bus().request(HttpsTopics.SET_SIM_NETWORK, new SimNetworkChange(false, "test")));
      get(dev.stop());
    }
    Vertx second = Vertx.vertx();
    try (SimDevice dev = SimDevice.builder(second).root(root).unit(NetworkUnit::new).build()) {
      get(dev.start());
      assertFalse(get(dev.await(Targets.NETWORK, x -> true)).online());
      get(dev.stop());
    } finally {
      get(second.close());
    }
  }

  @Test
  void deviceWithoutNmOnlineLatchesAtOnceWithAWarning(Vertx vertx, @TempDir Path root) throws Exception {
    List<LogLine> logs = new CopyOnWriteArrayList<>();
    JsonObject settings = new JsonObject().put("units", new JsonObject()
        .put("network", new JsonObject().put("nmOnline", root.resolve("no-such-nm-online").toString())));
    Mesh mesh = Mesh.builder(vertx, new MeshSettings(Profile.DEVICE, root, settings)).unit(NetworkUnit::new)
        .logSink(logs::add).build();
    get(mesh.start());
    NetworkState s = get(mesh.bus().await(Targets.NETWORK, x -> true));
    assertTrue(s.online());
    assertEquals("nm-online absent", s.reason());
    assertTrue(logs.stream().anyMatch(l -> l.message().startsWith("nm-online not found")));
    // a real device's network is not a switch
    Throwable refused = get(mesh.bus().request(HttpsTopics.SET_SIM_NETWORK, new SimNetworkChange(false, "test"))
        .<Throwable>map(x -> null).otherwise(e -> e));
    assertTrue(refused.getMessage().contains("only on a simulated device"), String.valueOf(refused));
    get(mesh.stop());
  }

  @Test
  void deviceWaitsForNetworkManagerStartup(Vertx vertx, @TempDir Path root) throws Exception {
    // a real program in nm-online's place: fails (startup not complete) once, then succeeds
    Path program = root.resolve("nm-online");
    Path calls = root.resolve("calls");
    Files.writeString(program, "#!/bin/sh\necho x >> '" + calls + "'\n"
        + "[ \"$(wc -l < '" + calls + "')\" -ge 2 ] && exit 0\nexit 1\n");
    Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
    JsonObject settings = new JsonObject().put("units", new JsonObject()
        .put("network", new JsonObject().put("nmOnline", program.toString())));
    VirtualScheduler time = new VirtualScheduler(vertx);
    List<LogLine> logs = new CopyOnWriteArrayList<>();
    Mesh mesh = Mesh.builder(vertx, new MeshSettings(Profile.DEVICE, root, settings)).scheduler(time)
        .unit(NetworkUnit::new).logSink(logs::add).build();
    get(mesh.start());
    Bus bus = mesh.bus();
    // first run fails: a retry is scheduled NM_RETRY later
    get(poll(vertx, () -> time.pending() == 1));
    assertTrue(bus.latest(Targets.NETWORK).isEmpty());
    assertTrue(logs.stream().anyMatch(l -> l.message().startsWith("NetworkManager startup not complete (nm-online exit 1)")));
    get(time.advanceBy(NetworkUnit.NM_RETRY));
    NetworkState s = get(bus.await(Targets.NETWORK, x -> true));
    assertTrue(s.online());
    assertEquals("nm-online", s.reason());
    assertEquals(List.of("x", "x"), Files.readAllLines(calls));
    get(mesh.stop());
  }

  static Future<Void> poll(Vertx vertx, java.util.function.BooleanSupplier condition) {
    return io.hostmesh.platform.Poll.until(vertx, Duration.ofSeconds(20), Duration.ofMillis(5), "condition", condition);
  }
}
