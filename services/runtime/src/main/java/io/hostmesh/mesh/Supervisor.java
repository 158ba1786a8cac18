package io.hostmesh.mesh;

import io.hostmesh.bus.Bus;
import io.hostmesh.bus.Subscription;
import io.hostmesh.bus.Topic;
import io.hostmesh.platform.Platform;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.unit.LogLevel;
import io.hostmesh.schema.unit.LogLine;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.schema.unit.UnitStateChanged;
import io.hostmesh.schema.unit.UnitTopics;
import io.hostmesh.unit.Condition;
import io.hostmesh.unit.Requirement;
import io.hostmesh.unit.RestartPolicy;
import io.hostmesh.unit.UnitType;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Starts units as their requirements latch, applies conditions, restart policies and
 * watchdogs, latches targets, and stops units in reverse order. Everything runs on one
 * context (the mesh's), so its state needs no locks.
 */
final class Supervisor {
  private final Vertx vertx;
  private final Context context;
  private final Bus bus;
  private final Platform platform;
  private final MeshSettings settings;
  private final Consumer<LogLine> logSink;
  private final Map<String, UnitRecord> units = new LinkedHashMap<>();
  private final TopicSuppliers suppliers;
  private final List<UnitRecord> startOrder = new ArrayList<>();
  private final List<Subscription> subscriptions = new ArrayList<>();
  /** Deployments not yet completed; stop() waits for them so no unit outlives the mesh. */
  private final InFlight inflight;
  final Timeline timeline;
  final Journal journal;
  private final List<Consumer<UnitStateChanged>> listeners = new CopyOnWriteArrayList<>();
  private boolean stopping;

  Supervisor(Vertx vertx, Context context, Bus bus, Platform platform, MeshSettings settings,
      List<UnitRecord> records, Consumer<LogLine> logSink, String bootId) {
    this.vertx = vertx;
    this.context = context;
    this.bus = bus;
    this.platform = platform;
    this.settings = settings;
    this.logSink = logSink;
    this.timeline = new Timeline(settings.json().getJsonObject("timeline", new JsonObject())
        .getInteger("size", Timeline.DEFAULT_CAPACITY));
    this.journal = new Journal(bootId, settings.json().getJsonObject("journal", new JsonObject())
        .getInteger("size", Journal.DEFAULT_CAPACITY));
    for (UnitRecord r : records) {
      units.put(r.name(), r);
    }
    this.suppliers = new TopicSuppliers(units, bus, platform);
    this.inflight = new InFlight(context);
  }

  void addListener(Consumer<UnitStateChanged> l) {
    listeners.add(l);
  }

  Map<String, UnitRecord> units() {
    return units;
  }

  /** Subscribes to every required topic, then evaluates every unit. Runs on the mesh context. */
  Future<Void> start() {
    Set<Topic<?>> topics = new HashSet<>();
    units.values().forEach(r -> r.descriptor.requires().forEach(q -> topics.add(q.topic())));
    // a refused config.json key changes why a unit waits for its projection (TopicSuppliers.missing)
    topics.add(ConfigTopics.STATUS);
    List<Future<Void>> ready = new ArrayList<>();
    for (Topic<?> t : topics) {
      Subscription s = bus.subscribe(t, v -> evaluateAll());
      subscriptions.add(s);
      ready.add(s.completion());
    }
    return Future.all(ready).onSuccess(v -> {
      units.values().stream().filter(r -> r.state == UnitState.DISABLED).forEach(suppliers::latchTargets);
      evaluateAll();
    }).mapEmpty();
  }

  private void evaluateAll() {
    if (stopping) {
      return;
    }
    for (UnitRecord r : units.values()) {
      if ((r.state == UnitState.INACTIVE || r.state == UnitState.WAITING) && !r.held) {
        evaluate(r);
      }
    }
  }

  /** Starts the unit if everything it waits for is there, else marks it waiting for what is not. */
  void evaluate(UnitRecord r) {
    List<String> missing = new ArrayList<>();
    for (String a : r.descriptor.after()) {
      UnitRecord other = units.get(a);
      if (other != null && !other.settled()) {
        missing.add("unit " + a);
      }
    }
    for (Requirement<?> q : r.descriptor.requires()) {
      if (!q.test(bus.latest(q.topic()).orElse(null))) {
        missing.add(suppliers.missing(q));
      }
    }
    if (missing.isEmpty()) {
      activate(r);
    } else {
      String detail = "waiting for " + String.join(", ", missing);
      if (r.state != UnitState.WAITING || !detail.equals(r.detail)) {
        transition(r, UnitState.WAITING, detail);
      }
    }
  }

  private void activate(UnitRecord r) {
    for (Condition c : r.descriptor.conditions()) {
      boolean holds;
      try {
        holds = c.test().test(platform);
      } catch (RuntimeException e) {
        holds = false;
      }
      if (!holds) {
        transition(r, UnitState.SKIPPED, "condition failed: " + c.label());
        settled(r);
        return;
      }
    }
    RestartPolicy policy = r.descriptor.restart();
    long now = platform.scheduler().uptimeMillis();
    while (!r.startTimes.isEmpty() && now - r.startTimes.peekFirst() > policy.interval().toMillis()) {
      r.startTimes.pollFirst();
    }
    if (r.startTimes.size() >= policy.burst()) {
      r.result = UnitResult.START_LIMIT_HIT;
      transition(r, UnitState.FAILED, "start-limit-hit: " + r.startTimes.size() + " starts within "
          + policy.interval().toSeconds() + " s");
      settled(r);
      return;
    }
    r.startTimes.addLast(now);
    r.generation++;
    int generation = r.generation;
    r.activatingMillis = now;
    String reason = !r.startReason.isEmpty() ? r.startReason : r.restarts > 0 ? "restart " + r.restarts : "";
    r.startReason = "";
    transition(r, UnitState.ACTIVATING, reason);
    UnitVerticle instance;
    try {
      instance = r.factory.get();
      instance.attach(new MeshUnitContext(this, r, generation));
    } catch (RuntimeException e) {
      failed(r, UnitResult.EXIT_CODE, "cannot create the unit: " + e);
      return;
    }
    if (!startOrder.contains(r)) {
      startOrder.add(r);
    }
    Promise<Void> landed = Promise.promise();
    track(landed.future());
    r.landing = landed.future();
    landed.future().onComplete(x -> context.runOnContext(y -> {
      if (r.landing == landed.future()) {
        r.landing = null;
      }
    }));
    vertx.deployVerticle(instance).onComplete(ar -> context.runOnContext(v -> {
      if (generation != r.generation || stopping) {
        // superseded or stopping while it started: undeploy it, and let stop() wait for that
        Future<Void> gone = ar.succeeded() ? vertx.undeploy(ar.result()) : Future.succeededFuture();
        gone.onComplete(x -> landed.complete());
        return;
      }
      landed.complete();
      if (ar.failed()) {
        failed(r, UnitResult.EXIT_CODE, String.valueOf(ar.cause().getMessage()));
        return;
      }
      r.deploymentId = ar.result();
      r.result = UnitResult.SUCCESS;
      transition(r, r.descriptor.type() == UnitType.ONESHOT ? UnitState.EXITED : UnitState.ACTIVE, r.pendingDetail);
      r.pendingDetail = "";
      armWatchdog(r, generation);
      settled(r);
    }));
  }

  private void failed(UnitRecord r, UnitResult result, String reason) {
    cancelTimers(r);
    r.result = result;
    RestartPolicy p = r.descriptor.restart();
    // armed before FAILED is published, so whoever reacts to FAILED sees the restart pending
    if (p.restartsOnFailure() && !stopping && result != UnitResult.START_LIMIT_HIT) {
      int generation = r.generation;
      r.restartTimer = platform.scheduler().schedule(p.delay(), () -> context.runOnContext(v -> {
        if (generation == r.generation && r.state == UnitState.FAILED && !stopping) {
          r.restarts++;
          activate(r);
        }
      }));
    }
    transition(r, UnitState.FAILED, reason);
    settled(r);
  }

  /** A running unit reported a failure (or its watchdog expired): stop it, then apply the policy. */
  void reportFailure(UnitRecord r, int generation, String reason) {
    reportFailure(r, generation, UnitResult.EXIT_CODE, reason);
  }

  private void reportFailure(UnitRecord r, int generation, UnitResult result, String reason) {
    context.runOnContext(v -> {
      if (generation != r.generation || stopping) {
        return;
      }
      if (r.state == UnitState.ACTIVATING) {
        r.generation++; // the pending deployment will be undeployed when it completes
        failed(r, result, reason);
        return;
      }
      if (r.state != UnitState.ACTIVE && r.state != UnitState.EXITED) {
        return;
      }
      String id = r.deploymentId;
      r.deploymentId = null;
      cancelTimers(r);
      Future<Void> undeployed = id == null ? Future.succeededFuture() : vertx.undeploy(id).recover(e -> Future.succeededFuture());
      undeployed.onComplete(x -> context.runOnContext(y -> failed(r, result, reason)));
    });
  }

  private void armWatchdog(UnitRecord r, int generation) {
    Duration w = r.descriptor.watchdog();
    if (w == null) {
      return;
    }
    r.lastPing = platform.scheduler().uptimeMillis();
    long every = Math.max(1, w.toMillis() / 4);
    r.watchdogTimer = platform.scheduler().periodic(Duration.ofMillis(every), () -> {
      long silent = platform.scheduler().uptimeMillis() - r.lastPing;
      if (silent >= w.toMillis()) {
        reportFailure(r, generation, UnitResult.WATCHDOG, "watchdog timeout: no ping for " + silent + " ms");
      }
    });
  }

  /** Keeps a deployment or undeployment in flight until it ends, so stop() waits for it. Mesh context. */
  void track(Future<?> f) {
    inflight.track(f);
  }

  void cancelTimers(UnitRecord r) {
    if (r.watchdogTimer != null) {
      r.watchdogTimer.cancel();
      r.watchdogTimer = null;
    }
    if (r.restartTimer != null) {
      r.restartTimer.cancel();
      r.restartTimer = null;
    }
  }

  private void settled(UnitRecord r) {
    suppliers.latchTargets(r);
    evaluateAll();
  }

  void transition(UnitRecord r, UnitState next, String detail) {
    UnitState previous = r.state;
    r.state = next;
    r.detail = detail == null ? "" : detail;
    r.sinceMillis = platform.scheduler().uptimeMillis();
    r.sinceWall = platform.clock().now();
    if (next.settled() && next != previous) {
      r.settledMillis = r.sinceMillis; // a detail-only update (same state) is not a new start
    }
    UnitStateChanged change = new UnitStateChanged(r.name(), next, previous, r.detail, r.sinceWall, r.sinceMillis);
    r.status = r.snapshot();
    timeline.add(change);
    bus.publish(UnitTopics.STATE_CHANGES, change);
    bus.publish(UnitTopics.state(r.name()), change);
    listeners.forEach(l -> l.accept(change));
  }

  /** Stops every started unit in reverse start order. Runs on the mesh context. */
  Future<Void> stop() {
    stopping = true;
    subscriptions.forEach(Subscription::cancel);
    units.values().forEach(this::cancelTimers);
    List<UnitRecord> reverse = new ArrayList<>(startOrder);
    java.util.Collections.reverse(reverse);
    // at most the stop grace (real time): a oneshot that retries for ever (HTTPS sync without a
    // 204) must not hold the shutdown, as systemd's stop timeout
    Duration grace = Duration.ofMillis((long) (settings.json().getDouble("stopGraceSeconds", 5.0) * 1000));
    Future<Void> chain = inflight.landed(platform.scheduler().realTime(), grace);
    for (UnitRecord r : reverse) {
      chain = chain.compose(v -> stopOne(r));
    }
    return chain;
  }

  private Future<Void> stopOne(UnitRecord r) {
    String id = r.deploymentId;
    if (id == null) {
      return Future.succeededFuture();
    }
    r.deploymentId = null;
    r.generation++;
    transition(r, UnitState.DEACTIVATING, "");
    Promise<Void> done = Promise.promise();
    vertx.undeploy(id).onComplete(ar -> context.runOnContext(v -> {
      transition(r, ar.succeeded() ? UnitState.INACTIVE : UnitState.FAILED,
          ar.succeeded() ? "stopped" : "stop failed: " + ar.cause().getMessage());
      done.complete();
    }));
    return done.future();
  }

  /** Sets the detail of an active unit, or keeps it for when a starting unit is up. */
  void status(UnitRecord r, int generation, String detail) {
    context.runOnContext(v -> {
      String d = detail == null ? "" : detail;
      if (generation != r.generation || stopping) {
        return;
      }
      if (r.state == UnitState.ACTIVATING) {
        r.pendingDetail = d; // shown once it is up
      } else if ((r.state == UnitState.ACTIVE || r.state == UnitState.EXITED) && !d.equals(r.detail)) {
        transition(r, r.state, d);
      }
    });
  }

  /** A unit's log line: to the sink, then on the bus. */
  void log(UnitRecord r, LogLevel level, String message) {
    LogLine line = new LogLine(r.name(), level, message, platform.clock().now(), platform.scheduler().uptimeMillis());
    logSink.accept(line);
    journal.add(line);
    bus.publish(UnitTopics.LOG, line);
  }

  Bus bus() {
    return bus;
  }

  Vertx vertx() {
    return vertx;
  }

  Context context() {
    return context;
  }

  boolean stopping() {
    return stopping;
  }

  Platform platform() {
    return platform;
  }

  JsonObject settings(UnitRecord r) {
    return settings.unit(r.name());
  }
}
