package io.hostmesh.mesh;

import io.hostmesh.bus.Bus;
import io.hostmesh.bus.Topic;
import io.hostmesh.platform.Platform;
import io.hostmesh.platform.Platforms;
import io.hostmesh.platform.Profile;
import io.hostmesh.platform.Scheduler;
import io.hostmesh.platform.VertxScheduler;
import io.hostmesh.schema.targets.Target;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.schema.unit.UnitStateChanged;
import io.hostmesh.unit.UnitDescriptor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A device's mesh of units: validates the unit graph, starts each unit as soon as its
 * requirements are latched, publishes every state change, and stops units in reverse order.
 *
 * <pre>{@code
 * Mesh mesh = Mesh.builder(vertx, MeshSettings.load(Profile.SIM, root)).discover().build();
 * mesh.start().await();
 * }</pre>
 *
 * <p>{@link #start()} fails with a {@link MeshException} naming the units when the graph is
 * invalid (duplicate name, a requirement nobody provides, a cycle); nothing has started then.
 */
public final class Mesh {
  private final Vertx vertx;
  private final Context context;
  private final Bus bus;
  private final Platform platform;
  private final MeshSettings settings;
  private final List<UnitRecord> records;
  private final Set<Topic<?>> external;
  private final Supervisor supervisor;
  private final UnitRequests requests;
  private final String bootId;
  private final BootLog bootLog;
  private volatile Instant startedAt;
  private volatile long finishedMillis = -1;
  private final List<Promise<Void>> settledWaiters = new ArrayList<>();
  private final MeshCounters counters;
  /** The mesh's own listeners on its bus: cancelled at stop, else the shared event bus keeps the whole mesh. */

  Mesh(MeshBuilder b) {
    this.vertx = b.vertx;
    this.bootId = b.bootId != null ? b.bootId : UUID.randomUUID().toString().replace("-", "");
    this.bootLog = b.bootLog;
    this.context = vertx.getOrCreateContext();
    this.bus = b.bus != null ? b.bus : Bus.create(vertx);
    this.settings = b.settings;
    Scheduler scheduler = b.scheduler != null ? b.scheduler : new VertxScheduler(vertx);
    this.platform = b.platform != null ? b.platform
        : settings.profile() == Profile.SIM
            ? Platforms.sim(vertx, bus, settings.root(), scheduler, settings.simRecorded())
            : Platforms.device(vertx, bus, settings.root(), scheduler);
    this.records = b.records;
    this.external = b.external;
    this.supervisor = new Supervisor(vertx, context, bus, platform, settings, records, b.logSink, bootId);
    this.requests = new UnitRequests(supervisor);
    supervisor.addListener(this::checkSettled);
    // a clock set goes into the timeline too: it explains the jump in the wall times after it
    this.counters = new MeshCounters(bus, set -> supervisor.timeline.add(
        ClockSetEntry.of(set, platform.clock().now(), platform.scheduler().uptimeMillis())));
  }

  /** Clock sets since start, by source. */
  public Map<String, Long> clockSets() {
    return counters.clockSets();
  }

  /** Clock sets since start by one source. */
  public long clockSets(String source) {
    return counters.clockSets(source);
  }

  /** Refused config documents or values since start by one unit. */
  public long configErrors(String unit) {
    return counters.configErrors(unit);
  }

  /** Refused config documents or values since start, by unit. */
  public Map<String, Long> configErrors() {
    return counters.configErrors();
  }

  /** Chooses the units and the platform of a new mesh ({@link MeshBuilder}). */
  public static MeshBuilder builder(Vertx vertx, MeshSettings settings) {
    return new MeshBuilder(vertx, settings);
  }

  /** Validates the graph and starts every unit whose requirements are met. */
  public Future<Void> start() {
    List<UnitDescriptor> descriptors = records.stream().map(r -> r.descriptor).toList();
    Set<String> disabled = new HashSet<>();
    records.stream().filter(r -> r.state == UnitState.DISABLED).forEach(r -> disabled.add(r.name()));
    try {
      GraphCheck.validate(descriptors, disabled, external);
    } catch (MeshException e) {
      return Future.failedFuture(e);
    }
    Promise<Void> started = Promise.promise();
    context.runOnContext(v -> {
      startedAt = platform.clock().now();
      supervisor.start().onSuccess(x -> checkSettled(null)).onComplete(started);
    });
    return started.future();
  }

  /**
   * Stops every started unit in reverse start order (fake-hwclock saves the time then), then ends
   * whatever programs of this device still run.
   */
  public Future<Void> stop() {
    // the units' last writes (fake-hwclock's save, a clock set) are done before stop completes
    return onContext(() -> supervisor.stop().eventually(platform::idle).eventually(this::closePlatform));
  }

  /**
   * A power cut (sim): the device's writes stop reaching the disk at once (pending ones are
   * dropped) and its programs are killed; then the units are undeployed, their stop writes
   * dropped too, so the next boot on the same root sees exactly what was on disk at the cut.
   */
  public Future<Void> cutPower() {
    platform.cutPower(); // at once, not after whatever the mesh's context is doing
    return onContext(() -> closePlatform().eventually(supervisor::stop));
  }

  /** Runs an ending on the mesh's context: refuses unit requests first, lets go of the counters last. */
  private Future<Void> onContext(Supplier<Future<?>> ending) {
    Promise<Void> stopped = Promise.promise();
    context.runOnContext(v -> {
      requests.stopping();
      ending.get().eventually(counters::close).<Void>mapEmpty().onComplete(stopped);
    });
    return stopped.future();
  }

  /** Ends the programs this device spawned and did not stop (blocking work: on a worker). */
  private Future<Void> closePlatform() {
    return vertx.executeBlocking(() -> {
      platform.close();
      return null;
    }, false);
  }

  public Vertx vertx() {
    return vertx;
  }

  public Bus bus() {
    return bus;
  }

  public Platform platform() {
    return platform;
  }

  public MeshSettings settings() {
    return settings;
  }

  /** Every unit's status, in load order: immutable snapshots, safe from any thread. */
  public List<UnitStatus> units() {
    return records.stream().map(r -> r.status).toList();
  }

  public Optional<UnitStatus> unit(String name) {
    return records.stream().filter(r -> r.name().equals(name)).findFirst().map(r -> r.status);
  }

  /** Every unit's descriptor, in load order (what it requires and publishes, e.g. who reads a config projection). */
  public List<UnitDescriptor> descriptors() {
    return records.stream().map(r -> r.descriptor).toList();
  }

  /** The last state changes (at most {@code timeline.size} in the settings, 4096 by default), oldest first. */
  public List<UnitStateChanged> timeline() {
    return supervisor.timeline.snapshot();
  }

  /**
   * The whole timeline as {@code GET /v1/timeline} shows it: the state changes and every clock set
   * ({@link ClockSetEntry}), oldest first, at most {@link #timelineSize()} together.
   */
  public List<Object> timelineEntries() {
    return supervisor.timeline.entries();
  }

  /** The most timeline entries kept ({@code timeline.size}). */
  public int timelineSize() {
    return supervisor.timeline.capacity();
  }

  /** The earlier boots this device keeps, when whoever runs it keeps them (the sim lifecycle). */
  public Optional<BootLog> bootLog() {
    return Optional.ofNullable(bootLog);
  }

  /**
   * {@code systemctl restart}: stops the unit's instance if one runs, then starts it as at boot
   * (requirements, conditions, start limit: a requested start counts against it, so after
   * {@code start-limit-hit} it fails again until {@link #resetFailed}). Completes with its status
   * once it has settled (look at the state); fails with {@link UnitRequestRefused} for an unknown
   * or disabled unit or while the mesh stops. A unit whose requirements never come never settles:
   * bound the wait. Safe from any thread.
   */
  public Future<UnitStatus> restart(String name) {
    Promise<UnitStatus> p = Promise.promise();
    context.runOnContext(v -> requests.restart(name, p));
    return p.future();
  }

  /**
   * {@code systemctl stop}: stops the unit's instance and keeps it down until {@link #restart};
   * a failed unit stays failed. Completes with its status once stopped; fails with
   * {@link UnitRequestRefused} for an unknown unit or while the mesh stops. Safe from any thread.
   */
  public Future<UnitStatus> stop(String name) {
    Promise<UnitStatus> p = Promise.promise();
    context.runOnContext(v -> requests.stop(name, p));
    return p.future();
  }

  /**
   * {@code systemctl reset-failed}: forgets the unit's start history (start limit) and restart
   * count; a failed unit becomes inactive and stays down until {@link #restart}. Completes with
   * its new status; fails with {@link UnitRequestRefused} for an unknown unit. Safe from any thread.
   */
  public Future<UnitStatus> resetFailed(String name) {
    Promise<UnitStatus> p = Promise.promise();
    context.runOnContext(v -> requests.resetFailed(name, p));
    return p.future();
  }

  /** The device's journal: every unit's log lines of this boot (the last {@code journal.size}). */
  public Journal journal() {
    return supervisor.journal;
  }

  /** This boot's id: 32 hex digits, new for every mesh; the journal's lines carry it. */
  public String bootId() {
    return bootId;
  }

  /** Milliseconds since the mesh started, on its scheduler (virtual in tests). */
  public long uptimeMillis() {
    return platform.scheduler().uptimeMillis();
  }

  /** The boot so far: when it started and finished, the targets reached, the units not yet settled. */
  public BootSummary boot() {
    Map<String, Long> targets = new TreeMap<>();
    bus.latched().values().forEach(v -> {
      if (v instanceof Target t) {
        targets.put(t.name(), t.uptimeMillis());
      }
    });
    List<String> unsettled = records.stream().filter(r -> !settled(r)).map(UnitRecord::name).toList();
    return new BootSummary(bootId, startedAt, uptimeMillis(), finishedMillis, targets, unsettled);
  }

  /** Listens to every state change (on the mesh context). */
  public void onStateChange(Consumer<UnitStateChanged> listener) {
    supervisor.addListener(listener);
  }

  /**
   * True when no unit is inactive, waiting, activating or stopping (a unit left stopped by
   * {@link #resetFailed} counts as settled: nothing will start it by itself).
   */
  public boolean allSettled() {
    return records.stream().allMatch(Mesh::settled);
  }

  private static boolean settled(UnitRecord r) {
    return r.status.state().settled() || r.held;
  }

  /** Completes the first time every unit has settled. */
  public Future<Void> whenSettled() {
    Promise<Void> p = Promise.promise();
    context.runOnContext(v -> {
      if (allSettled()) {
        p.complete();
      } else {
        settledWaiters.add(p);
      }
    });
    return p.future();
  }

  private void checkSettled(UnitStateChanged change) {
    if (finishedMillis < 0 && startedAt != null && allSettled()) {
      finishedMillis = uptimeMillis();
    }
    if (!settledWaiters.isEmpty() && allSettled()) {
      List<Promise<Void>> waiters = new ArrayList<>(settledWaiters);
      settledWaiters.clear();
      waiters.forEach(Promise::tryComplete);
    }
  }
}
