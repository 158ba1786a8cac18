package io.hostmesh.hostos;

import io.hostmesh.schema.hostos.HostOsTopics;
import io.hostmesh.schema.hostos.StandInHealth;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.schema.unit.UnitTopics;
import io.hostmesh.unit.UnitContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * {@code rollback-tests}: the VPN (it was online before the update and is not now), the
 * engine's health check, then the board's (every {@link BoardHealthCheck}, the units named in
 * {@code healthUnits}, and on a device {@code /usr/bin/rollback-board-healthcheck} when present).
 * The first failure ends the run, as {@code set -e} does.
 */
public final class RollbackTests {
  private final UnitContext unit;
  private final HostOs os;
  private final List<BoardHealthCheck> boardChecks;

  public RollbackTests(UnitContext unit, HostOs os) {
    this.unit = unit;
    this.os = os;
    List<BoardHealthCheck> found = new ArrayList<>();
    ServiceLoader.load(BoardHealthCheck.class, loader()).forEach(found::add);
    this.boardChecks = List.copyOf(found);
  }

  private static ClassLoader loader() {
    ClassLoader l = Thread.currentThread().getContextClassLoader();
    return l != null ? l : RollbackTests.class.getClassLoader();
  }

  /** Empty when every test passed, else the first failure. */
  public Future<Optional<String>> run() {
    unit.log().info("Rollback: Running tests");
    Optional<String> vpn;
    try {
      vpn = vpn();
    } catch (IOException e) {
      vpn = Optional.of("cannot read " + RollbackFiles.HEALTH_VARIABLES + ": " + e.getMessage());
    }
    if (vpn.isPresent()) {
      return Future.succeededFuture(vpn);
    }
    return engine().compose(e -> {
      if (e.isPresent()) {
        unit.log().error("Rollback: ERROR: balenaEngine is not healthy!");
        return Future.succeededFuture(e);
      }
      unit.log().info("Rollback: balenaEngine looks healthy");
      unit.log().info("Rollback: Running board specific healthchecks...");
      return board().map(b -> {
        if (b.isPresent()) {
          unit.log().error("Rollback: ERROR: Board specific healthchecks failed! (" + b.get() + ")");
        } else {
          unit.log().info("Rollback: No issues detected.");
        }
        return b;
      });
    });
  }

  private Optional<String> vpn() throws IOException {
    Optional<String> vars = unit.files().read(RollbackFiles.HEALTH_VARIABLES);
    if (vars.isEmpty()) {
      return Optional.empty();
    }
    String online = BootEnv.parse(vars.get()).getOrDefault("BALENAOS_ROLLBACK_VPNONLINE", "");
    if (os.exists(RollbackFiles.VPN_ACTIVE)) {
      unit.log().info("Rollback: VPN is back online in new OS.");
    } else if (online.equals("1")) {
      unit.log().error("Rollback: ERROR: VPN used to be ok but has not connected!");
      return Optional.of("the VPN was online before the update and has not connected");
    } else if (online.equals("0")) {
      unit.log().info("Rollback: VPN used to be offline before HUP. Not using VPN healthcheck for rollback");
    }
    return Optional.empty();
  }

  private Future<Optional<String>> engine() {
    if (!os.sim()) {
      return DeviceOs.check(unit.processes(), DeviceOs.ENGINE_HEALTHCHECK);
    }
    Optional<StandInHealth> h = unit.bus().latest(HostOsTopics.ENGINE);
    if (h.isEmpty()) {
      return Future.succeededFuture(Optional.of("balena-healthcheck: the engine is not running"));
    }
    return Future.succeededFuture(h.get().healthy() ? Optional.empty()
        : Optional.of("balena-healthcheck: " + h.get().detail()));
  }

  private Future<Optional<String>> board() {
    Future<Optional<String>> chain = Future.succeededFuture(units());
    if (!os.sim() && unit.processes().available(DeviceOs.BOARD_HEALTHCHECK)) {
      chain = chain.compose(r -> r.isPresent() ? Future.succeededFuture(r)
          : DeviceOs.check(unit.processes(), DeviceOs.BOARD_HEALTHCHECK));
    }
    for (BoardHealthCheck c : boardChecks) {
      chain = chain.compose(r -> r.isPresent() ? Future.succeededFuture(r) : safe(c));
    }
    return chain;
  }

  private Future<Optional<String>> safe(BoardHealthCheck c) {
    try {
      return c.check(unit).map(r -> r.map(why -> c.name() + ": " + why))
          .otherwise(e -> Optional.of(c.name() + ": " + e.getMessage()));
    } catch (RuntimeException e) {
      return Future.succeededFuture(Optional.of(c.name() + ": " + e));
    }
  }

  /** The units named in {@code healthUnits}: each must be loaded and not failed. */
  private Optional<String> units() {
    JsonArray names = unit.settings().getJsonArray("healthUnits", new JsonArray());
    for (Object n : names) {
      String name = String.valueOf(n);
      var state = unit.bus().latest(UnitTopics.state(name));
      if (state.isEmpty()) {
        return Optional.of("unit " + name + " is not loaded");
      }
      if (state.get().state() == UnitState.FAILED) {
        return Optional.of("unit " + name + " failed: " + state.get().detail());
      }
    }
    return Optional.empty();
  }
}
