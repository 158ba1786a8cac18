package io.hostmesh.mesh;

import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.schema.unit.UnitStateChanged;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a user asks of one unit, as {@code systemctl restart} and {@code systemctl reset-failed}
 * do; the supervisor does the rest. Mesh context only.
 *
 * <p>A restart stops the unit's instance if one runs (or is still starting), then puts the unit
 * through the usual start: waiting for its requirements, its conditions, activating. As in
 * systemd every start counts against the start limit, a requested one too, so a unit that hit
 * its limit fails again with {@code start-limit-hit} until the interval has passed or
 * {@code reset-failed} cleared the history. The request completes when the unit has settled.
 */
final class UnitRequests {
  static final String RESTART_DETAIL = "restarted by request";
  static final String STOP_DETAIL = "stopped by request: stays stopped until started";

  private final Supervisor supervisor;
  private final Map<String, List<Promise<UnitStatus>>> waiting = new HashMap<>();

  UnitRequests(Supervisor supervisor) {
    this.supervisor = supervisor;
    supervisor.addListener(this::changed);
  }

  /** Restarts the unit; {@code done} completes with its status once it has settled again. */
  void restart(String name, Promise<UnitStatus> done) {
    UnitRecord r = find(name, done);
    if (r == null) {
      return;
    }
    if (r.state == UnitState.DISABLED) {
      done.fail(new UnitRequestRefused(UnitRequestRefused.Reason.DISABLED, "unit " + name
          + " is disabled (units." + name + ".enabled is false in " + MeshSettings.FILE + ")"));
      return;
    }
    waiting.computeIfAbsent(name, k -> new ArrayList<>()).add(done);
    r.held = false;
    r.startReason = RESTART_DETAIL;
    if (r.state == UnitState.DEACTIVATING) {
      return; // a restart is under way: its start answers this request too
    }
    supervisor.cancelTimers(r);
    r.generation++; // a pending restart, a late report or a start still landing belongs to the old instance
    r.pendingDetail = "";
    String id = r.deploymentId;
    r.deploymentId = null;
    Future<?> gone;
    if (id != null) {
      gone = supervisor.vertx().undeploy(id);
    } else if (r.landing != null) {
      gone = r.landing; // undeployed when it lands, being of an old generation
    } else {
      supervisor.evaluate(r);
      return;
    }
    int generation = r.generation;
    supervisor.transition(r, UnitState.DEACTIVATING, "restart requested");
    supervisor.track(gone);
    gone.onComplete(ar -> supervisor.context().runOnContext(v -> {
      if (supervisor.stopping() || generation != r.generation) {
        return;
      }
      supervisor.transition(r, UnitState.INACTIVE, ar.succeeded() ? "stopped for restart"
          : "stop failed: " + ar.cause().getMessage());
      supervisor.evaluate(r);
    }));
  }

  /**
   * systemctl reset-failed: forgets the unit's start history (start limit) and restart count;
   * a failed unit becomes inactive and stays down, a pending automatic restart cancelled, until
   * restarted by request.
   */
  void resetFailed(String name, Promise<UnitStatus> done) {
    UnitRecord r = find(name, done);
    if (r == null) {
      return;
    }
    r.startTimes.clear();
    r.restarts = 0;
    if (r.state == UnitState.FAILED) {
      supervisor.cancelTimers(r);
      r.generation++;
      r.result = UnitResult.SUCCESS;
      r.held = true;
      supervisor.transition(r, UnitState.INACTIVE, "reset-failed: stays stopped until restarted");
    } else {
      r.status = r.snapshot();
    }
    done.complete(r.status);
  }

  /**
   * systemctl stop: stops the unit's instance (or the start under way) and keeps the unit down
   * until restarted; a pending automatic restart is cancelled. A failed unit stays failed (its
   * result kept), as systemd leaves it until reset-failed. {@code done} completes with the
   * status once the instance is gone.
   */
  void stop(String name, Promise<UnitStatus> done) {
    UnitRecord r = find(name, done);
    if (r == null) {
      return;
    }
    if (r.state == UnitState.DISABLED || r.state == UnitState.DEACTIVATING && r.held) {
      done.complete(r.status);
      return;
    }
    supervisor.cancelTimers(r);
    r.held = true;
    r.generation++; // a pending restart, a late report or a start still landing belongs to the old instance
    r.pendingDetail = "";
    String id = r.deploymentId;
    r.deploymentId = null;
    Future<?> gone = id != null ? supervisor.vertx().undeploy(id) : r.landing;
    if (gone == null) {
      if (r.state == UnitState.WAITING || r.state == UnitState.ACTIVE || r.state == UnitState.EXITED) {
        supervisor.transition(r, UnitState.INACTIVE, STOP_DETAIL);
      }
      done.complete(r.status);
      return;
    }
    int generation = r.generation;
    supervisor.transition(r, UnitState.DEACTIVATING, "stop requested");
    supervisor.track(gone);
    gone.onComplete(ar -> supervisor.context().runOnContext(v -> {
      if (!supervisor.stopping() && generation == r.generation) {
        supervisor.transition(r, UnitState.INACTIVE, ar.succeeded() ? STOP_DETAIL : "stop failed: " + ar.cause().getMessage());
      }
      done.tryComplete(r.status);
    }));
  }

  /** Fails every request still waiting: the mesh is stopping. */
  void stopping() {
    List<Promise<UnitStatus>> all = new ArrayList<>();
    waiting.values().forEach(all::addAll);
    waiting.clear();
    all.forEach(p -> p.tryFail(new UnitRequestRefused(UnitRequestRefused.Reason.STOPPING, "the mesh is stopping")));
  }

  private UnitRecord find(String name, Promise<UnitStatus> done) {
    if (supervisor.stopping()) {
      done.fail(new UnitRequestRefused(UnitRequestRefused.Reason.STOPPING, "the mesh is stopping"));
      return null;
    }
    UnitRecord r = supervisor.units().get(name);
    if (r == null) {
      done.fail(new UnitRequestRefused(UnitRequestRefused.Reason.NO_SUCH_UNIT, "no unit named " + name));
    }
    return r;
  }

  private void changed(UnitStateChanged c) {
    if (!c.state().settled()) {
      return;
    }
    List<Promise<UnitStatus>> done = waiting.remove(c.unit());
    if (done != null) {
      UnitStatus status = supervisor.units().get(c.unit()).status;
      done.forEach(p -> p.tryComplete(status));
    }
  }
}
