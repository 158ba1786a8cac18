package io.hostmesh.fleet;

import io.hostmesh.bus.Bus;
import io.hostmesh.bus.Subscription;
import io.hostmesh.chrony.ChronySourcesUnit;
import io.hostmesh.chrony.ChronydUnit;
import io.hostmesh.configwatch.ConfigWatcher;
import io.hostmesh.hostos.BootEnv;
import io.hostmesh.hostos.Bootloader;
import io.hostmesh.hostos.SimOs;
import io.hostmesh.hostos.units.BootloaderUnit;
import io.hostmesh.hostos.units.EngineStandIn;
import io.hostmesh.hostos.units.HostappUpdate;
import io.hostmesh.hostos.units.OpenVpnStandIn;
import io.hostmesh.hostos.units.RollbackAltboot;
import io.hostmesh.hostos.units.RollbackClearBootcount;
import io.hostmesh.hostos.units.RollbackHealth;
import io.hostmesh.mesh.Mesh;
import io.hostmesh.mesh.MeshBuilder;
import io.hostmesh.mesh.MeshSettings;
import io.hostmesh.platform.Profile;
import io.hostmesh.platform.Timer;
import io.hostmesh.schema.config.ConfigDocument;
import io.hostmesh.schema.hostos.BootDecision;
import io.hostmesh.schema.hostos.HostOsTopics;
import io.hostmesh.schema.hostos.HupRequest;
import io.hostmesh.schema.hostos.RebootAnswer;
import io.hostmesh.schema.hostos.RebootRequest;
import io.hostmesh.schema.hostos.Shutdown;
import io.hostmesh.schema.time.TimeTopics;
import io.hostmesh.timesync.https.HttpsTimeSync;
import io.hostmesh.unit.UnitVerticle;
import io.hostmesh.unit.support.TimeFormats;
import io.hostmesh.units.config.DevelopmentFeatures;
import io.hostmesh.units.config.DnsServers;
import io.hostmesh.units.config.Hostname;
import io.hostmesh.units.config.NetworkManagerFragment;
import io.hostmesh.units.config.PersistentLogging;
import io.hostmesh.units.config.RootCa;
import io.hostmesh.units.config.WifiCountry;
import io.hostmesh.units.network.NetworkUnit;
import io.hostmesh.units.rtc.RtcTimeInit;
import io.hostmesh.units.time.BuildTimeInit;
import io.hostmesh.units.time.FakeHwclock;
import io.hostmesh.units.time.FakeHwclockUpdate;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One fleet device: its files, clock, RTC and programs (models), and for each boot a mesh of the
 * same unit classes a sim device runs, on its own bus. Power cuts and restores, config rollouts
 * and host OS updates come from the scenario's events; what the device does is measured from its
 * bus ({@link DeviceMeter}).
 *
 * <p>Its lifecycle is the sim lifecycle's ({@code SimLifecycle}) on the device's in-memory files
 * and the partition's virtual time: each boot attempt clears {@code /run} and {@code /var/volatile}
 * and runs the emulated {@link Bootloader} step on its A/B host OS (u-boot, laid out at start);
 * a slot without init panics and resets after {@code hostos.panicResetSeconds} (10 s); a boot
 * that reaches userspace publishes the decision ({@code os.boot}) and serves
 * {@code os.reboot}: an orderly reboot publishes {@code os.shutdown}, stops the units in reverse
 * order (rollback-clear-bootcount runs) and boots again.
 *
 * <p>Units: the time chain (build time, fake-hwclock and its hourly save, timeinit-rtc), the
 * network target, timesync-https, chronyd and chrony-sources, config-watcher and every config
 * projection unit, and the host OS units (bootloader, hostapp-update, the rollback units, the
 * VPN and engine stand-ins). Not the SSH units: no sshd is started.
 *
 * <p>Threading: only on the partition's event loop.
 */
final class FleetDevice {
  private static final List<Class<? extends UnitVerticle>> UNITS = List.of(BuildTimeInit.class, FakeHwclock.class,
      FakeHwclockUpdate.class, RtcTimeInit.class, NetworkUnit.class, ConfigWatcher.class, Hostname.class,
      DnsServers.class, NetworkManagerFragment.class, DevelopmentFeatures.class, RootCa.class, PersistentLogging.class,
      WifiCountry.class, HttpsTimeSync.class, ChronydUnit.class, ChronySourcesUnit.class,
      BootloaderUnit.class, HostappUpdate.class, RollbackAltboot.class, RollbackHealth.class,
      RollbackClearBootcount.class, OpenVpnStandIn.class, EngineStandIn.class);
  /** SimLifecycle's default {@code hostos.panicResetSeconds}. */
  private static final long PANIC_RESET_MILLIS = 10_000;

  private final FleetPartition partition;
  final int id;
  private final SplittableRandom rng;
  private final MemoryFiles files;
  private final FleetClock clock;
  private final FleetRtc rtc;
  private final FleetProcesses processes;
  private final List<HttpsEndpoint.Window> linkOutages;
  private final double syncDelayMin;
  private final double syncDelayMax;
  private final DeviceMeter meter;
  private final List<Subscription> subscriptions = new ArrayList<>();
  private Mesh mesh;
  private Future<Void> stopping = Future.succeededFuture();
  /** The power is on (the devicesUp level). */
  private boolean powered;
  /** A boot's userspace runs and is not stopping. */
  private boolean running;
  /** Power cycles: a pending step of an older cycle does nothing. */
  private int cycle;
  /** Boot attempts, the failed ones included (the bootloader's boot number). */
  private int attempts;
  private int boots;
  private Timer panicReset;

  FleetDevice(FleetPartition partition, DeviceDraw draw) {
    this.partition = partition;
    this.id = draw.id();
    long seed = partition.seed();
    this.rng = new SplittableRandom(Draw.hash(seed, 7, id));
    this.files = new MemoryFiles("fleet-p" + partition.number() + "-d" + id + "-" + Long.toHexString(Draw.hash(seed, 8, id)));
    this.clock = new FleetClock(partition.loop()::trueMillis);
    this.rtc = new FleetRtc(draw.rtc(), partition.loop()::trueMillis, draw.rtcDriftPpm(), draw.rtcErrorMillis());
    this.linkOutages = draw.linkOutages();
    Object delay = partition.scenario().ntp().getValue("syncDelaySeconds");
    this.syncDelayMin = delay instanceof JsonObject o ? o.getDouble("min") : delay instanceof Number n ? n.doubleValue() : 2;
    this.syncDelayMax = delay instanceof JsonObject o ? o.getDouble("max") : delay instanceof Number n ? n.doubleValue() : 10;
    this.processes = new FleetProcesses(partition.loop()::now, partition.loop()::trueMillis,
        t -> linkUp(t) && !partition.ntpDown(t), () -> Math.round(Draw.between(syncDelayMin, syncDelayMax, rng.nextDouble()) * 1000));
    this.processes.disciplines(clock::errorMillis, clock::slew);
    long buildMillis = partition.scenario().buildTime().toEpochMilli();
    this.meter = new DeviceMeter(partition, id, buildMillis, clock::errorMillis);
    try {
      files.write("/etc/timestamp", TimeFormats.stamp(Instant.ofEpochMilli(buildMillis)) + "\n", null);
      files.write(ConfigDocument.DEVICE_PATH, draw.config().encodePrettily() + "\n", null);
      // the A/B host OS of hostmesh sim init: slot a booted, slot b empty, u-boot
      SimOs.layout(files, SimOs.DEFAULT_VERSION, BootEnv.Kind.UBOOT);
    } catch (IOException e) {
      throw new IllegalStateException("cannot lay out fleet device " + id + ": " + e.getMessage(), e);
    }
  }

  boolean linkUp(long t) {
    return !HttpsEndpoint.Window.anyCovers(linkOutages, t);
  }

  boolean up() {
    return powered;
  }

  Mesh mesh() {
    return mesh;
  }

  int boots() {
    return boots;
  }

  long clockErrorMillis() {
    return clock.errorMillis();
  }

  /** The power comes (back) once the previous boot has fully stopped; the bootloader runs. */
  void powerOn() {
    stopping.onComplete(x -> {
      if (powered) {
        return;
      }
      powered = true;
      int c = ++cycle;
      files.powerOn();
      partition.result().level("devicesUp", partition.loop().now() / 1000, 1);
      attempt(c);
    });
  }

  /** One boot attempt: the bootloader step, then userspace or a panic. */
  private void attempt(int c) {
    if (!powered || c != cycle) {
      return;
    }
    int n = ++attempts;
    BootDecision d;
    try {
      files.clearVolatile();
      d = Bootloader.step(files, n, String.format("%016x%08x", Draw.hash(partition.seed(), 13, id), n),
          Bootloader.UBOOT_LIMIT);
    } catch (IOException | RuntimeException e) {
      partition.result().count("boot.bootloaderFailed", 1);
      meter.trace("boot " + n + ": the bootloader step failed: " + e.getMessage());
      return; // powered, never booting: until the next power cycle
    }
    if (!d.userspace()) {
      partition.result().count("boot.panics", 1);
      meter.trace("boot " + n + ": " + d.message() + "; reset in " + PANIC_RESET_MILLIS / 1000 + " s");
      panicReset = partition.loop().at(partition.loop().now() + PANIC_RESET_MILLIS, () -> {
        panicReset = null;
        attempt(c);
      });
      return;
    }
    start(d, c);
  }

  private void start(BootDecision d, int c) {
    long now = partition.loop().now();
    boots++;
    running = true;
    clock.reset(partition.scenario().bootClock().toEpochMilli());
    meter.booted();
    var scheduler = partition.loop().scheduler(now);
    Bus bus = Bus.create(partition.loop().vertx(), "d" + id + "-" + d.boot());
    clock.onSet(set -> {
      bus.publish(TimeTopics.CLOCK_SET, set);
      meter.clockSet(set);
    });
    FleetPlatform platform = new FleetPlatform(files.async(), clock, rtc, processes, scheduler,
        () -> partition.endpoint().client(scheduler, rng, this::linkUp, partition.loop()::now, partition.loop()::trueMillis),
        () -> {
          files.cutPower();
          clock.cutPower();
        }, processes::killAll);
    bus.publish(HostOsTopics.BOOT, d);
    MeshBuilder b = Mesh.builder(partition.loop().vertx(), new MeshSettings(Profile.SIM, files.root(), partition.settings()))
        .scheduler(scheduler).bus(bus).platform(platform)
        .logSink(partition.traced(id) ? l -> partition.trace(id, "[" + l.unit() + "][" + l.level() + "] " + l.message()) : l -> { });
    UNITS.forEach(b::unit);
    Mesh m = b.build();
    mesh = m;
    subscriptions.add(bus.serve(HostOsTopics.REBOOT, r -> Future.succeededFuture(rebootAsked(m, c, r))));
    meter.watch(bus, subscriptions);
    meter.trace("boot " + d.boot() + ": " + d.message());
    m.start().onFailure(e -> partition.result().count("mesh.startFailed", 1));
  }

  /** {@code os.reboot}: answered first, then the orderly stop and the next boot (as SimLifecycle does). */
  private RebootAnswer rebootAsked(Mesh m, int c, RebootRequest r) {
    String reason = r == null || r.reason() == null ? "reboot" : r.reason();
    if (m != mesh || !running || c != cycle) {
      return new RebootAnswer(false, attempts, "the device is not running this boot");
    }
    running = false;
    partition.result().count("reboots", 1);
    meter.trace("reboot asked by " + (r == null ? "?" : r.requester()) + ": " + reason);
    partition.loop().context().runOnContext(v -> reboot(m, c, reason));
    return new RebootAnswer(true, attempts, "rebooting (" + reason + ")");
  }

  private void reboot(Mesh m, int c, String reason) {
    m.bus().publish(HostOsTopics.SHUTDOWN, new Shutdown(attempts, reason, true));
    Promise<Void> stopped = Promise.promise();
    stopping = stopped.future();
    m.stop().onComplete(x -> {
      end(m);
      stopped.complete();
      attempt(c); // nothing when the power went meanwhile
    });
  }

  /** The boot's userspace is over: its subscriptions go, its daemons die, it leaves the levels. */
  private void end(Mesh m) {
    if (mesh != m) {
      return;
    }
    mesh = null;
    running = false;
    List<Subscription> subs = new ArrayList<>(subscriptions);
    subscriptions.clear();
    subs.forEach(Subscription::cancel);
    processes.killAll();
    meter.ended();
  }

  /** The power goes: nothing more is written, the daemons die, the mesh is dropped. */
  void powerCut() {
    if (!powered) {
      return;
    }
    powered = false;
    cycle++;
    PartitionResult r = partition.result();
    r.count("powerCuts", 1);
    r.level("devicesUp", partition.loop().now() / 1000, -1);
    meter.trace("power cut");
    if (panicReset != null) {
      panicReset.cancel();
      panicReset = null;
    }
    files.cutPower();
    clock.cutPower();
    Mesh m = mesh;
    if (m == null || !running) {
      processes.killAll();
      return; // panicking, or a reboot's stop under way: it ends on its own (stopping says when)
    }
    end(m);
    Promise<Void> stopped = Promise.promise();
    stopping = stopped.future();
    m.cutPower().onComplete(x -> stopped.complete());
  }

  /** Future done when the last power cut's or reboot's stop has ended. */
  Future<Void> stopped() {
    return stopping;
  }

  /** config.json gets {@code patch} merged in (a rollout); refused (counted) while the power is off. */
  void rollout(JsonObject patch) {
    PartitionResult r = partition.result();
    if (!running) {
      r.count("config.rolloutMissedPoweredOff", 1);
      return;
    }
    try {
      JsonObject doc = new JsonObject(files.read(ConfigDocument.DEVICE_PATH).orElse("{}"));
      FleetPartition.mergePatch(doc, patch);
      String text = doc.encodePrettily() + "\n";
      meter.rolledOut(ConfigDocument.digest(text.getBytes(StandardCharsets.UTF_8)));
      r.count("config.rolledOut", 1);
      files.write(ConfigDocument.DEVICE_PATH, text, null);
    } catch (IOException | RuntimeException e) {
      r.count("config.rolloutFailed", 1);
    }
  }

  /**
   * A host OS update to {@code version} (broken as {@code brk}, or "" for a good image), asked of
   * hostapp-update as {@code hostmesh sim hup} does; missed (counted) when the device is not
   * running a boot's userspace.
   */
  void hup(String version, String brk) {
    PartitionResult r = partition.result();
    if (!running || mesh == null) {
      r.count("hup.missedNotRunning", 1);
      return;
    }
    r.count(brk.isEmpty() ? "hup.requested" : "hup.requestedBroken." + brk, 1);
    meter.hupRequested();
    meter.trace("host OS update to " + version + (brk.isEmpty() ? "" : " (broken: " + brk + ")"));
    mesh.bus().request(HostOsTopics.HUP, new HupRequest(version, brk, "fleet"))
        .onComplete(ar -> {
          if (ar.failed()) {
            meter.hupRefused(ar.cause().getMessage());
          } else if (!ar.result().rebooting()) {
            meter.hupRefused(ar.result().message());
          }
        });
  }

  /** The device leaves the fleet run: its files are freed. */
  void dispose() {
    files.close();
  }
}
