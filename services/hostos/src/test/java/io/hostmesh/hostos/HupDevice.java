package io.hostmesh.hostos;

import io.hostmesh.api.ApiRebind;
import io.hostmesh.api.HttpApi;
import io.hostmesh.mesh.Mesh;
import io.hostmesh.platform.VirtualScheduler;
import io.hostmesh.schema.hostos.HostOsTopics;
import io.hostmesh.schema.hostos.HupAnswer;
import io.hostmesh.schema.hostos.HupRequest;
import io.hostmesh.schema.hostos.OsStatus;
import io.hostmesh.schema.unit.LogLine;
import io.hostmesh.unit.UnitVerticle;
import io.hostmesh.unit.support.BuildTime;
import io.hostmesh.unit.support.TimeFormats;
import io.hostmesh.units.time.BuildTimeInit;
import io.hostmesh.units.time.FakeHwclock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A sim device under a {@link SimLifecycle} on virtual time, for the HUP scenarios: the hostos
 * units plus the time chain (so fake-hwclock saves at every stop), a temp root deleted on close.
 */
final class HupDevice implements AutoCloseable {
  static final Duration REAL_LIMIT = Duration.ofSeconds(60);
  static final int STEP_LIMIT = 100_000;

  final Vertx vertx;
  final Path root;
  final VirtualScheduler time;
  final SimLifecycle dev;
  final List<LogLine> logs = new CopyOnWriteArrayList<>();
  private volatile HttpApi api;
  private volatile int apiPort;

  HupDevice(Vertx vertx, BootEnv.Kind kind, JsonObject settings, List<Supplier<? extends UnitVerticle>> extra) {
    this(vertx, kind, SimOs.DEFAULT_VERSION, settings, extra);
  }

  HupDevice(Vertx vertx, BootEnv.Kind kind, String version, JsonObject settings, List<Supplier<? extends UnitVerticle>> extra) {
    this(vertx, kind, version, settings, extra, false);
  }

  /**
   * With {@code api}, each boot gets the real HTTP API on 127.0.0.1, deployed before its units
   * start and undeployed before they stop, on the port the first boot got (as {@code hostmesh run}).
   */
  HupDevice(Vertx vertx, BootEnv.Kind kind, String version, JsonObject settings, List<Supplier<? extends UnitVerticle>> extra,
      boolean api) {
    this.vertx = vertx;
    try {
      this.root = Files.createTempDirectory("hostmesh-hup-");
      write("etc/hostmesh/hostmesh.json", settings.copy().put("api", new JsonObject().put("port", -1)).encodePrettily());
      write(BuildTime.FILE.substring(1), TimeFormats.stamp(Instant.now().minus(30, ChronoUnit.DAYS)) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.time = new VirtualScheduler(vertx);
    boolean echo = Boolean.getBoolean("hostmesh.test.echo");
    this.dev = SimLifecycle.builder(vertx, root).scheduler(time).layout(version, kind)
        .units(b -> {
          b.discover(HupDevice.class.getClassLoader(), c -> c.getName().startsWith("io.hostmesh.hostos."))
              .unit(BuildTimeInit::new).unit(FakeHwclock::new);
          extra.forEach(b::unit);
        })
        .beforeStart(m -> api ? deployApi(m) : Future.succeededFuture())
        .beforeStop(m -> {
          HttpApi a = this.api;
          this.api = null;
          return a == null ? Future.succeededFuture() : vertx.undeploy(a.deploymentID());
        })
        .logSink(l -> {
          logs.add(l);
          if (echo) {
            System.err.printf("%9.3f [%s][%s] %s%n", l.uptimeMillis() / 1000.0, l.unit(), l.level(), l.message());
          }
        })
        .build();
  }

  /** As {@code hostmesh run --profile sim}: the first boot's free port again, unless another program took it. */
  private Future<Void> deployApi(Mesh m) {
    return ApiRebind.deploy(vertx, p -> new HttpApi(m, "127.0.0.1", p), apiPort, true).map(a -> {
      apiPort = a.port();
      this.api = a;
      return null;
    });
  }

  /** The running boot's API port (with {@code api}); the same on every boot unless another program took it meanwhile. */
  int apiPort() {
    return apiPort;
  }

  /** Shortened (the HUP suite's) or default (the spec's) rollback-health constants. */
  static JsonObject health(int timeoutSeconds, int count) {
    return new JsonObject().put("units", new JsonObject().put("rollback-health",
        new JsonObject().put("timeoutSeconds", timeoutSeconds).put("count", count)));
  }

  void write(String rel, String content) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  boolean exists(String devicePath) {
    return Files.exists(root.resolve(devicePath.substring(1)));
  }

  String read(String devicePath) {
    try {
      return Files.readString(root.resolve(devicePath.substring(1)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Boots and waits until boot 1's units have settled. */
  void start() {
    dev.start().await();
    settle(1);
  }

  Mesh mesh() {
    return dev.mesh();
  }

  HupAnswer hup(String version, String brk) {
    return mesh().bus().request(HostOsTopics.HUP, new HupRequest(version, brk, "test")).await();
  }

  OsStatus status() {
    return mesh().bus().latest(HostOsTopics.STATUS).orElseThrow();
  }

  /** The first os.status of the running boot that matches (the bootloader unit re-latches it after each change). */
  OsStatus status(java.util.function.Predicate<OsStatus> p, String what) {
    try {
      return mesh().bus().await(HostOsTopics.STATUS, p).timeout(10, java.util.concurrent.TimeUnit.SECONDS).await();
    } catch (RuntimeException e) {
      throw new AssertionError("os.status never showed " + what + "; last: " + mesh().bus().latest(HostOsTopics.STATUS), e);
    }
  }

  /** Waits, driving virtual time, until boot {@code n} (or later) is up and every unit has settled. */
  void settle(int n) {
    drive(() -> dev.boot() >= n && dev.state() == SimLifecycle.State.UP && !dev.busy() && dev.mesh() != null
        && dev.mesh().allSettled(), "boot " + n + " settled");
  }

  /** Waits, driving virtual time, until boot {@code n} (or later) has {@code unit} in {@code state}. */
  void awaitUnit(int n, String unit, io.hostmesh.schema.unit.UnitState state) {
    drive(() -> dev.boot() >= n && dev.state() == SimLifecycle.State.UP && dev.mesh() != null
        && dev.mesh().unit(unit).map(u -> u.state() == state).orElse(false), unit + " " + state + " on boot " + n);
  }

  /**
   * Drives virtual time: while {@code done} is false, runs the next timer whenever the device is
   * not booting or stopping and a timer is waiting; otherwise gives the device a millisecond of
   * real time. Bounded in steps and real time.
   */
  void drive(BooleanSupplier done, String what) {
    Promise<Void> p = Promise.promise();
    // the steps run on a context of their own: a timer set on a unit's context (the one a virtual
    // task ran on) would be cancelled when a reboot undeploys that unit
    io.vertx.core.Context driver = vertx.getOrCreateContext();
    driver.runOnContext(v -> step(driver, done, what, p, System.nanoTime() + REAL_LIMIT.toNanos(), new int[] {0}));
    p.future().await();
  }

  private void step(io.vertx.core.Context driver, BooleanSupplier done, String what, Promise<Void> p, long deadline,
      int[] steps) {
    if (done.getAsBoolean()) {
      p.complete();
      return;
    }
    if (++steps[0] > STEP_LIMIT || System.nanoTime() > deadline) {
      // the last error the device logged says why it is where it is (a boot that failed to start)
      String lastError = logs.stream().filter(l -> l.level() == io.hostmesh.schema.unit.LogLevel.ERROR)
          .reduce((a, b) -> b).map(l -> "; last error: [" + l.unit() + "] " + l.message()).orElse("")
          + dev.history().stream().reduce((a, b) -> b).map(r -> "; last boot ended: " + r.end()).orElse("");
      p.fail("not reached: " + what + " (boot " + dev.boot() + ", " + dev.state() + ", virtual "
          + time.uptimeMillis() / 1000 + " s, " + time.pending() + " timers" + lastError + ")");
      return;
    }
    if (Boolean.getBoolean("hostmesh.test.trace")) {
      System.err.println("step " + steps[0] + " busy=" + dev.busy() + " state=" + dev.state() + " pending=" + time.pending() + " next=" + time.nextDue() + " now=" + time.uptimeMillis());
    }
    Future<Void> next = !dev.busy() && time.pending() > 0 ? time.advanceToNext() : Future.future(q -> vertx.setTimer(1, id -> q.complete()));
    next.onComplete(ar -> driver.runOnContext(v -> step(driver, done, what, p, deadline, steps)));
  }

  boolean logged(String unit, String text) {
    return logs.stream().anyMatch(l -> l.unit().equals(unit) && l.message().contains(text));
  }

  List<String> lines(String unit) {
    List<String> out = new ArrayList<>();
    logs.stream().filter(l -> l.unit().equals(unit)).forEach(l -> out.add(l.message()));
    return out;
  }

  @Override
  public void close() {
    try {
      io.hostmesh.platform.Poll.until(vertx, Duration.ofSeconds(20), Duration.ofMillis(2), "device not busy",
          () -> !dev.busy()).await();
      if (dev.state() != SimLifecycle.State.OFF) {
        dev.powerOff("test end").await();
      }
    } finally {
      try (var walk = Files.walk(root)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
      } catch (IOException ignored) {
        // a temp folder left behind is harmless
      }
    }
  }
}
