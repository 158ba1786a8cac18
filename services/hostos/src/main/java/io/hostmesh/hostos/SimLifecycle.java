package io.hostmesh.hostos;

import io.hostmesh.bus.Bus;
import io.hostmesh.bus.Subscription;
import io.hostmesh.mesh.BootLog;
import io.hostmesh.mesh.KeptBoot;
import io.hostmesh.mesh.Mesh;
import io.hostmesh.mesh.MeshBuilder;
import io.hostmesh.mesh.MeshSettings;
import io.hostmesh.platform.BlockingHostFiles;
import io.hostmesh.platform.Platforms;
import io.hostmesh.platform.Profile;
import io.hostmesh.platform.Scheduler;
import io.hostmesh.platform.Timer;
import io.hostmesh.platform.VertxScheduler;
import io.hostmesh.schema.hostos.BootDecision;
import io.hostmesh.schema.hostos.HostOsTopics;
import io.hostmesh.schema.hostos.PowerRequest;
import io.hostmesh.schema.hostos.RebootAnswer;
import io.hostmesh.schema.hostos.RebootRequest;
import io.hostmesh.schema.hostos.Shutdown;
import io.hostmesh.schema.unit.LogLevel;
import io.hostmesh.schema.unit.LogLine;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A simulated device that reboots in one process: it owns a device root, runs the emulated
 * {@link Bootloader} step before each boot, and builds a new {@link Mesh} on the same root for
 * every boot that reaches userspace (a new bus, the same scheduler: one virtual clock across
 * boots in tests). It serves {@link HostOsTopics#REBOOT} on each boot's bus: it answers, publishes
 * {@link HostOsTopics#SHUTDOWN}, stops the mesh in reverse order (fake-hwclock saves,
 * rollback-clear-bootcount runs) and boots again. A boot whose slot has no init fails before
 * any unit starts; after {@code hostos.panicResetSeconds} (10) on the scheduler the device resets
 * and the bootloader counts the next attempt.
 *
 * <pre>{@code
 * SimLifecycle dev = SimLifecycle.builder(vertx, root).scheduler(virtual).layout("2.88.4", BootEnv.Kind.UBOOT).build();
 * dev.start().await();
 * dev.mesh().bus().request(HostOsTopics.HUP, new HupRequest("2.89.0", "", "test")).await();
 * dev.awaitBoot(2).await();
 * }</pre>
 *
 * <p>Each boot's mesh gets the bootloader step's boot id, an uptime of its own that starts at the
 * boot ({@link BootUptime}), and the {@link BootHistory} of the last 64 boots with the journals
 * and timelines of those that ended ({@code GET /v1/boots}, {@code /v1/logs?boot=-1}).
 *
 * <p>Every boot clears {@code /run} and {@code /var/volatile} under the root (tmpfs on a device).
 * Settings in hostmesh.json: {@code hostos.bootcountLimit} (u-boot's {@code OS_BOOTCOUNT_LIMIT},
 * 3) and {@code hostos.panicResetSeconds}.
 *
 * <p>Threading: all state lives on one Vert.x context (the lifecycle's, which is also each boot's
 * mesh context); public methods may be called from any thread. The bootloader step runs on a worker.
 * Build it outside any verticle (a main or test thread): a context taken from a verticle would lose
 * its timers when that verticle is undeployed.
 */
public final class SimLifecycle {
  /** Where the device is. */
  public enum State { OFF, BOOTING, UP, STOPPING, PANICKED }

  private static final int CONSOLE_LINES = 64;

  private final Vertx vertx;
  private final Context context;
  private final Path root;
  private final BlockingHostFiles files;
  private final Scheduler scheduler;
  private final Consumer<MeshBuilder> units;
  private final Consumer<LogLine> logSink;
  private final List<Consumer<Mesh>> bootListeners;
  private final Function<Mesh, Future<Void>> beforeStart;
  private final Function<Mesh, Future<Void>> beforeStop;
  private final Runnable onOff;
  private final String layoutVersion;
  private final BootEnv.Kind layoutKind;
  private final BootHistory history;
  private final List<String> failedConsole = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private volatile State state = State.OFF;
  private volatile Mesh mesh;
  private volatile int boots;
  private volatile boolean starting;
  private Subscription rebootServing;
  private Subscription powerServing;
  private Timer panicTimer;

  private record Waiter(int boot, Promise<Mesh> promise) {}

  SimLifecycle(SimLifecycleBuilder b) {
    this.vertx = b.vertx;
    this.context = vertx.getOrCreateContext();
    this.root = b.root;
    this.files = Platforms.files(b.root);
    this.scheduler = b.scheduler != null ? b.scheduler : new VertxScheduler(vertx);
    this.units = b.units;
    this.logSink = b.logSink;
    this.bootListeners = List.copyOf(b.bootListeners);
    this.beforeStart = b.beforeStart;
    this.beforeStop = b.beforeStop;
    this.onOff = b.onOff;
    this.layoutVersion = b.layoutVersion;
    this.layoutKind = b.layoutKind;
    this.history = new BootHistory(scheduler);
  }

  /** Chooses root, units, time and the initial host OS of a new simulated device ({@link SimLifecycleBuilder}). */
  public static SimLifecycleBuilder builder(Vertx vertx, Path root) {
    return new SimLifecycleBuilder(vertx, root);
  }

  /** Boots the device (laying out the A/B host OS first when asked); completes once the first attempt is made. */
  public Future<Void> start() {
    Promise<Void> p = Promise.promise();
    context.runOnContext(v -> {
      if (state != State.OFF) {
        p.fail("the device is already " + state.name().toLowerCase());
        return;
      }
      state = State.BOOTING;
      Future<Void> laid = layoutVersion == null ? Future.succeededFuture()
          : vertx.executeBlocking(() -> SimOs.layout(files, layoutVersion, layoutKind), false).mapEmpty();
      laid.onFailure(e -> state = State.OFF).compose(x -> bootNext()).onComplete(p);
    });
    return p.future();
  }

  /** Reboots as the bus request does; refused (not failed) while booting or stopping. */
  public Future<RebootAnswer> reboot(String reason) {
    Promise<RebootAnswer> p = Promise.promise();
    context.runOnContext(v -> p.complete(onReboot(new RebootRequest("sim-lifecycle", reason, false))));
    return p.future();
  }

  /** Stops the units in reverse order and boots no more (a failed boot's pending reset is cancelled). */
  public Future<Void> powerOff(String reason) {
    Promise<Void> p = Promise.promise();
    context.runOnContext(v -> {
      if (panicTimer != null) {
        panicTimer.cancel();
        panicTimer = null;
      }
      if (state == State.UP && mesh != null) {
        state = State.STOPPING;
        log(LogLevel.INFO, "boot " + boots + ": power off: " + reason);
        shutdown(reason, false).onComplete(p);
      } else if (state == State.STOPPING || state == State.BOOTING) {
        p.fail("cannot power off while " + state.name().toLowerCase());
      } else {
        state = State.OFF;
        p.complete();
      }
    });
    return p.future();
  }

  /**
   * Cuts the power: nothing stops in order and nothing more is written (pending writes are
   * dropped, programs killed), then the device boots again on what was on disk.
   */
  public Future<RebootAnswer> cutPower(String reason) {
    Promise<RebootAnswer> p = Promise.promise();
    context.runOnContext(v -> p.complete(onPower(new PowerRequest("sim-lifecycle", true, reason))));
    return p.future();
  }

  /** The running boot's mesh, or null while down. */
  public Mesh mesh() {
    return mesh;
  }

  public State state() {
    return state;
  }

  /** The number of the last boot attempt (1 = first). */
  public int boot() {
    return boots;
  }

  public Path root() {
    return root;
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  /** True while a boot or a stop is under way (a test drives virtual time only when this is false). */
  public boolean busy() {
    State s = state;
    return s == State.BOOTING || s == State.STOPPING || starting;
  }

  /** The last boot attempts (at most 64), oldest first. */
  public List<BootRecord> history() {
    return history.records();
  }

  /** The kept boots with their journals and timelines ({@code GET /v1/boots}); each boot's mesh has it too. */
  public BootLog boots() {
    return history;
  }

  /** Completes with the mesh of the first boot numbered {@code n} or later that has started its units. */
  public Future<Mesh> awaitBoot(int n) {
    Promise<Mesh> p = Promise.promise();
    context.runOnContext(v -> {
      Mesh m = mesh;
      if (m != null && !starting && boots >= n && state == State.UP) {
        p.complete(m);
      } else {
        waiters.add(new Waiter(n, p));
      }
    });
    return p.future();
  }

  private Future<Void> bootNext() {
    state = State.BOOTING;
    int n = ++boots;
    long started = scheduler.uptimeMillis();
    String id = UUID.randomUUID().toString().replace("-", "");
    return vertx.executeBlocking(() -> {
      SimOs.clearVolatile(files);
      JsonObject s = MeshSettings.load(Profile.SIM, root).json().getJsonObject("hostos", new JsonObject());
      BootDecision d = Bootloader.step(files, n, id, s.getInteger("bootcountLimit", Bootloader.UBOOT_LIMIT));
      return new Object[] {d, s.getDouble("panicResetSeconds", 10.0)};
    }, false).compose(r -> {
      BootDecision d = (BootDecision) r[0];
      List<String> console = new ArrayList<>(failedConsole);
      d.console().forEach(l -> console.add("[boot " + n + "] " + l));
      d = new BootDecision(d.boot(), d.bootId(), d.bootloader(), d.rootPart(), d.upgradeAvailable(), d.bootcount(),
          d.bootcountLimit(), d.slot(), d.fellBack(), d.userspace(), d.message(), console);
      log(d.userspace() ? LogLevel.INFO : LogLevel.ERROR, "boot " + n + ": " + d.message());
      if (!d.userspace()) {
        failedConsole.clear();
        // a slot that never boots panics for ever: keep only the last attempts' lines
        failedConsole.addAll(console.subList(Math.max(0, console.size() - CONSOLE_LINES), console.size()));
        history.begin(d, started);
        history.failedEarly(d.message());
        state = State.PANICKED;
        long ms = (long) ((double) r[1] * 1000);
        panicTimer = scheduler.schedule(Duration.ofMillis(ms), () -> context.runOnContext(x -> {
          panicTimer = null;
          if (state == State.PANICKED) {
            bootNext();
          }
        }));
        return Future.<Void>succeededFuture();
      }
      failedConsole.clear();
      history.begin(d, started);
      return startMesh(d, started);
    }).onFailure(e -> {
      state = State.OFF;
      if (n > 1) { // the first boot's failure is start()'s, for its caller to report
        log(LogLevel.ERROR, "boot " + n + " failed: " + e.getMessage());
        onOff.run(); // a later one leaves the device off
      }
    });
  }

  private Future<Void> startMesh(BootDecision d, long started) {
    MeshSettings settings;
    try {
      settings = MeshSettings.load(Profile.SIM, root);
    } catch (java.io.IOException e) {
      return Future.failedFuture(e);
    }
    Bus bus = Bus.create(vertx);
    rebootServing = bus.serve(HostOsTopics.REBOOT, r -> Future.succeededFuture(onReboot(r)));
    powerServing = bus.serve(HostOsTopics.POWER, r -> Future.succeededFuture(onPower(r)));
    bus.publish(HostOsTopics.BOOT, d);
    // the boot's own uptime, id and the boots before it: as a kernel and journald have them
    MeshBuilder b = Mesh.builder(vertx, settings).scheduler(new BootUptime(scheduler, started)).bus(bus)
        .boot(d.bootId(), history).logSink(logSink);
    units.accept(b);
    Mesh m = b.build();
    history.meshBuilt(m);
    mesh = m;
    starting = true;
    state = State.UP; // a unit may ask for a reboot while the others still start
    return rebootServing.completion().compose(v -> powerServing.completion()).compose(v -> beforeStart.apply(m))
        .compose(v -> m.start()).onComplete(ar -> {
      starting = false;
      if (ar.failed()) {
        mesh = null;
        state = State.OFF;
        rebootServing.cancel();
        powerServing.cancel();
        String why = "mesh failed to start: " + ar.cause().getMessage();
        history.ended(KeptBoot.FAILED, why, why, m, BootHistory.Ending.of(m));
        return;
      }
      bootListeners.forEach(l -> l.accept(m));
      List<Waiter> ready = waiters.stream().filter(w -> w.boot() <= d.boot()).toList();
      waiters.removeAll(ready);
      ready.forEach(w -> w.promise().tryComplete(m));
    });
  }

  private RebootAnswer onReboot(RebootRequest r) {
    String reason = r == null || r.reason() == null ? "reboot" : r.reason();
    if (state != State.UP || mesh == null) {
      return new RebootAnswer(false, boots, "the device is " + state.name().toLowerCase());
    }
    state = State.STOPPING;
    log(LogLevel.INFO, "boot " + boots + ": reboot asked by " + (r == null ? "?" : r.requester()) + ": " + reason);
    // after the answer is on its way
    context.runOnContext(v -> shutdown(reason, true));
    return new RebootAnswer(true, boots, "rebooting (" + reason + ")");
  }

  private RebootAnswer onPower(PowerRequest r) {
    String reason = r == null || r.reason() == null ? (r != null && r.cut() ? "power cut" : "power off") : r.reason();
    if (state != State.UP || mesh == null) {
      return new RebootAnswer(false, boots, "the device is " + state.name().toLowerCase());
    }
    state = State.STOPPING;
    boolean cut = r != null && r.cut();
    log(LogLevel.INFO, "boot " + boots + ": " + (cut ? "power cut" : "power off") + " asked by "
        + (r == null ? "?" : r.requester()) + ": " + reason);
    context.runOnContext(v -> {
      if (cut) {
        cut(reason);
      } else {
        shutdown(reason, false);
      }
    });
    return new RebootAnswer(true, boots, (cut ? "cutting the power (" : "powering off (") + reason + ")");
  }

  /** No SHUTDOWN, no orderly stop: the mesh is abandoned with its writes dropped, then the next boot. */
  private Future<Void> cut(String reason) {
    Mesh m = mesh;
    int n = boots;
    BootHistory.Ending ending = BootHistory.Ending.of(m); // as it stood: once stopped, every unit is inactive
    return beforeStop.apply(m).otherwiseEmpty().compose(v -> m.cutPower())
        .eventually(() -> Future.join(rebootServing.cancel(), powerServing.cancel())).recover(e -> {
          log(LogLevel.ERROR, "boot " + n + ": cutting the power failed: " + e.getMessage());
          return Future.succeededFuture();
        }).compose(v -> {
          mesh = null;
          history.ended(KeptBoot.POWER_CUT, reason, "power-cut: " + reason, m, ending);
          return bootNext();
        });
  }

  private Future<Void> shutdown(String reason, boolean reboot) {
    Mesh m = mesh;
    int n = boots;
    BootHistory.Ending ending = BootHistory.Ending.of(m);
    m.bus().publish(HostOsTopics.SHUTDOWN, new Shutdown(n, reason, reboot));
    return beforeStop.apply(m).otherwiseEmpty().compose(v -> m.stop())
        .eventually(() -> Future.join(rebootServing.cancel(), powerServing.cancel())).recover(e -> {
      log(LogLevel.ERROR, "boot " + n + ": stopping failed: " + e.getMessage());
      return Future.succeededFuture();
    }).compose(v -> {
      mesh = null;
      history.ended(reboot ? KeptBoot.REBOOT : KeptBoot.POWEROFF, reason, (reboot ? "reboot: " : "power-off: ") + reason, m,
          ending);
      if (reboot) {
        return bootNext();
      }
      state = State.OFF;
      onOff.run();
      return Future.succeededFuture();
    });
  }

  private void log(LogLevel level, String message) {
    logSink.accept(new LogLine("sim-lifecycle", level, message, Instant.ofEpochMilli(scheduler.hostMillis()),
        scheduler.uptimeMillis()));
  }
}
