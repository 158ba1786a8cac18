package io.hostmesh.chrony;

import io.hostmesh.demo.LocalNtpServer;

import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.targets.Target;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.schema.unit.UnitStateChanged;
import io.hostmesh.schema.unit.UnitTopics;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.unit.RestartPolicy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A simulated device running chronyd (and optionally chrony-sources), for the ITs. */
final class ChronyDevice implements AutoCloseable {
  final SimDevice dev;

  ChronyDevice(Vertx vertx, RestartPolicy policy, JsonObject chronyd, JsonObject sources) {
    this(vertx, policy, chronyd, sources, false);
  }

  /** {@code virtualTime}: the unit's timers (health check, watchdog) run on the test's clock. */
  ChronyDevice(Vertx vertx, RestartPolicy policy, JsonObject chronyd, JsonObject sources, boolean virtualTime) {
    SimDevice.Builder b = SimDevice.builder(vertx)
        .unit(() -> new ChronydUnit(policy))
        .external(Targets.TIME_SYNC_HTTPS_WAIT, ConfigTopics.NTP)
        .settings(s -> s.put("units", new JsonObject().put("chronyd", chronyd)
            .put("chrony-sources", sources == null ? new JsonObject() : sources)));
    if (sources != null) {
      b.unit(ChronySourcesUnit::new);
    }
    if (virtualTime) {
      b.virtualTime();
    }
    dev = b.build();
  }

  /** Starts the mesh and latches time-sync-https-wait, which chronyd waits for. */
  ChronyDevice start() throws Exception {
    dev.start().await(20, TimeUnit.SECONDS);
    dev.bus().publish(Targets.TIME_SYNC_HTTPS_WAIT, new Target("time-sync-https-wait", Instant.now(), 0));
    return this;
  }

  /** The first state change of chronyd matching {@code p}, past ones included. */
  Future<UnitStateChanged> awaitChange(Predicate<UnitStateChanged> p) {
    Promise<UnitStateChanged> promise = Promise.promise();
    var sub = dev.bus().subscribe(UnitTopics.STATE_CHANGES, c -> {
      if (c.unit().equals("chronyd") && p.test(c)) {
        promise.tryComplete(c);
      }
    });
    sub.completion().onSuccess(v -> dev.mesh().timeline().stream()
        .filter(c -> c.unit().equals("chronyd") && p.test(c)).findFirst().ifPresent(promise::tryComplete));
    return promise.future().onComplete(x -> sub.cancel());
  }

  /** The pid of the running chronyd, from its pid file. */
  long pid() {
    return HostProcesses.pidIn(dev.path(ChronyPaths.PID_FILE)).orElseThrow();
  }

  /** {@code chronyc -h <device socket> -n sources}, as the acceptance test reads it. */
  String chronycSources() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("chronyc", "-h", dev.path(ChronyPaths.SOCKET).toString(), "-n", "sources")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  /** chronyd processes started for this device that are still alive. */
  /**
   * Closes a device and its NTP server (either may be null), then checks that no supervised
   * chronyd and no zombie child is left.
   */
  static void closeAndCheck(ChronyDevice device, LocalNtpServer server) throws Exception {
    List<ProcessHandle> left = List.of();
    if (device != null) {
      device.close();
      left = device.chronydProcesses();
    }
    if (server != null) {
      server.close();
    }
    org.junit.jupiter.api.Assertions.assertEquals(List.of(), left, "every supervised chronyd is gone");
    org.junit.jupiter.api.Assertions.assertEquals(List.of(), HostProcesses.zombieChildren(), "no zombie children");
  }

  List<ProcessHandle> chronydProcesses() {
    return HostProcesses.withArgument(dev.root().toString()).stream()
        .filter(h -> h.info().command().map(c -> c.endsWith("chronyd")).orElse(false))
        .toList();
  }

  @Override
  public void close() throws Exception {
    try {
      dev.stop().await(20, TimeUnit.SECONDS);
    } finally {
      dev.close();
    }
  }
}
