package io.hostmesh.fleet;

import io.hostmesh.bus.Bus;
import io.hostmesh.bus.Subscription;
import io.hostmesh.chrony.ChronySourcesUnit;
import io.hostmesh.chrony.ChronydUnit;
import io.hostmesh.configwatch.ConfigWatcher;
import io.hostmesh.mesh.Mesh;
import io.hostmesh.mesh.MeshSettings;
import io.hostmesh.platform.Profile;
import io.hostmesh.schema.config.ConfigDocument;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.https.HttpsSyncResult;
import io.hostmesh.schema.https.HttpsTopics;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.schema.time.ClockSet;
import io.hostmesh.schema.time.TimeTopics;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.schema.unit.UnitTopics;
import io.hostmesh.timesync.https.HttpsTimeSync;
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
 * One fleet device: its files, clock, RTC and programs (models), and a mesh of the same unit
 * classes a sim device runs for each boot, on its own bus. Power cuts and restores come from the
 * scenario's events. What the device does is measured into the partition's result from its bus
 * (the units know nothing of the fleet).
 *
 * <p>Units: the time chain (build time, fake-hwclock and its hourly save, timeinit-rtc), the
 * network target, timesync-https, chronyd and chrony-sources, config-watcher and every config
 * projection unit. Not the SSH units: no sshd is started (the socket unit is left out).
 *
 * <p>Threading: only on the partition's event loop.
 */
final class FleetDevice {
  private static final long DAY_MILLIS = 86_400_000L;

  private final FleetPartition partition;
  final int id;
  private final SplittableRandom rng;
  private final MemoryFiles files;
  private final FleetClock clock;
  private final FleetRtc rtc;
  private final FleetProcesses processes;
  private final long buildMillis;
  private final List<HttpsEndpoint.Window> linkOutages;
  private final double syncDelayMin;
  private final double syncDelayMax;
  private final List<Subscription> subscriptions = new ArrayList<>();
  private Mesh mesh;
  private Future<Void> stopping = Future.succeededFuture();
  private boolean up;
  private boolean trusted;
  private boolean offByDay;
  private boolean timeSet;
  private long bootAt;
  private int boots;
  private long rolloutAt = -1;
  private String rolloutDigest;
  private final boolean traced;

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
    this.buildMillis = partition.scenario().buildTime().toEpochMilli();
    this.traced = partition.traced(id);
    layout(draw.config());
  }

  private void layout(JsonObject config) {
    try {
      files.write("/etc/timestamp", TimeFormats.stamp(Instant.ofEpochMilli(buildMillis)) + "\n", null);
      files.write(ConfigDocument.DEVICE_PATH, config.encodePrettily() + "\n", null);
    } catch (IOException e) {
      throw new IllegalStateException("cannot lay out fleet device " + id + ": " + e.getMessage(), e);
    }
  }

  boolean linkUp(long t) {
    return !HttpsEndpoint.Window.anyCovers(linkOutages, t);
  }

  boolean up() {
    return up;
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

  /** Boots the device (after the previous boot has fully stopped). */
  void powerOn() {
    stopping.onComplete(x -> boot());
  }

  private void boot() {
    if (up) {
      return;
    }
    long now = partition.loop().now();
    up = true;
    boots++;
    bootAt = now;
    trusted = false;
    timeSet = false;
    files.powerOn();
    clock.reset(partition.scenario().bootClock().toEpochMilli());
    PartitionResult r = partition.result();
    r.count("boots", 1);
    r.level("devicesUp", now / 1000, 1);
    r.level("devicesWithoutTrustedClock", now / 1000, 1);
    offByDay = false;
    checkOffByDay();
    var scheduler = partition.loop().scheduler(now);
    Bus bus = Bus.create(partition.loop().vertx(), "d" + id + "-" + boots);
    clock.onSet(set -> {
      bus.publish(TimeTopics.CLOCK_SET, set);
      clockSet(set);
    });
    FleetPlatform platform = new FleetPlatform(files.async(), clock, rtc, processes, scheduler,
        () -> partition.endpoint().client(scheduler, rng, this::linkUp, partition.loop()::now, partition.loop()::trueMillis),
        () -> {
          files.cutPower();
          clock.cutPower();
        }, processes::killAll);
    Mesh.Builder b = Mesh.builder(partition.loop().vertx(), new MeshSettings(Profile.SIM, files.root(), partition.settings()))
        .scheduler(scheduler).bus(bus).platform(platform)
        .logSink(traced ? l -> partition.trace(id, "[" + l.unit() + "][" + l.level() + "] " + l.message()) : l -> { });
    for (Class<? extends io.hostmesh.unit.UnitVerticle> u : List.of(BuildTimeInit.class, FakeHwclock.class,
        FakeHwclockUpdate.class, RtcTimeInit.class, NetworkUnit.class, ConfigWatcher.class, Hostname.class,
        DnsServers.class, NetworkManagerFragment.class, DevelopmentFeatures.class, RootCa.class, PersistentLogging.class,
        WifiCountry.class, HttpsTimeSync.class, ChronydUnit.class, ChronySourcesUnit.class)) {
      b.unit(u);
    }
    mesh = b.build();
    watch(bus);
    if (traced) {
      partition.trace(id, "boot " + boots);
    }
    mesh.start().onFailure(e -> r.count("mesh.startFailed", 1));
  }

  private void watch(Bus bus) {
    PartitionResult r = partition.result();
    subscriptions.add(bus.subscribe(Targets.TIME_SET, t -> {
      if (!timeSet) {
        timeSet = true;
        r.record(PartitionResult.TIME_TO_TIME_SET, partition.loop().now() - bootAt);
      }
    }));
    subscriptions.add(bus.subscribe(HttpsTopics.ATTEMPT, a -> {
      r.count("https.attempt." + a.result().label(), 1);
      if (traced) {
        partition.trace(id, "https attempt " + a.attempt() + ": " + a.result().label() + " (" + a.detail()
            + "), next in " + a.nextDelayMillis() + " ms");
      }
      partition.attempt(id, a);
    }));
    subscriptions.add(bus.subscribe(HttpsTopics.STATUS, s -> {
      if (!s.finished()) {
        return;
      }
      r.count("https.final." + s.result().label(), 1);
      if (s.result() == HttpsSyncResult.SYNCHRONISED || s.result() == HttpsSyncResult.ALREADY_SYNCHRONISED) {
        r.record(PartitionResult.HTTPS_SYNC, partition.loop().now() - bootAt);
        trust();
      }
    }));
    subscriptions.add(bus.subscribe(Targets.TIME_SYNC, t -> {
      r.record(PartitionResult.NTP_SYNC, partition.loop().now() - bootAt);
      trust();
    }));
    subscriptions.add(bus.subscribe(UnitTopics.STATE_CHANGES, c -> {
      if (c.state() == UnitState.FAILED) {
        r.count("unit.failed." + c.unit(), 1);
      }
    }));
    subscriptions.add(bus.subscribe(ConfigTopics.STATUS, s -> {
      if (rolloutAt >= 0 && rolloutDigest != null && rolloutDigest.equals(s.digest())) {
        long t = partition.loop().now();
        r.record(PartitionResult.CONFIG_CONVERGENCE, t - rolloutAt);
        r.event("config.applied", t / 1000, 1);
        r.count(s.refused().isEmpty() ? "config.applied" : "config.appliedWithRefusedKeys", 1);
        rolloutAt = -1;
      }
    }));
  }

  private void trust() {
    if (!trusted && up) {
      trusted = true;
      partition.result().level("devicesWithoutTrustedClock", partition.loop().now() / 1000, -1);
    }
  }

  private void clockSet(ClockSet set) {
    PartitionResult r = partition.result();
    r.count("clock.set." + set.source(), 1);
    if (set.now().toEpochMilli() < buildMillis) {
      r.count("clock.setBeforeBuildTime", 1); // the spec: no clock ever goes back before the build
    }
    if (traced) {
      partition.trace(id, "clock set by " + set.source() + ": " + set.previous() + " -> " + set.now());
    }
    partition.clockSet(id, set);
    checkOffByDay();
  }

  private void checkOffByDay() {
    boolean off = up && Math.abs(clock.errorMillis()) > DAY_MILLIS;
    if (off != offByDay) {
      offByDay = off;
      partition.result().level("devicesClockOffByMoreThanADay", partition.loop().now() / 1000, off ? 1 : -1);
    }
  }

  /** The power goes: nothing more is written, the daemons die, the mesh is dropped. */
  void powerCut() {
    if (!up) {
      return;
    }
    long now = partition.loop().now();
    PartitionResult r = partition.result();
    up = false;
    r.count("powerCuts", 1);
    r.level("devicesUp", now / 1000, -1);
    if (!trusted) {
      r.level("devicesWithoutTrustedClock", now / 1000, -1);
    }
    if (offByDay) {
      offByDay = false;
      r.level("devicesClockOffByMoreThanADay", now / 1000, -1);
    }
    if (traced) {
      partition.trace(id, "power cut");
    }
    Mesh m = mesh;
    mesh = null;
    List<Subscription> subs = new ArrayList<>(subscriptions);
    subscriptions.clear();
    subs.forEach(Subscription::cancel);
    processes.killAll();
    Promise<Void> stopped = Promise.promise();
    stopping = stopped.future();
    m.cutPower().onComplete(x -> stopped.complete());
  }

  /** Future done when the last power cut's stop has ended. */
  Future<Void> stopped() {
    return stopping;
  }

  /** config.json gets {@code patch} merged in (a rollout); refused (counted) while the power is off. */
  void rollout(JsonObject patch) {
    PartitionResult r = partition.result();
    if (!up) {
      r.count("config.rolloutMissedPoweredOff", 1);
      return;
    }
    try {
      JsonObject doc = new JsonObject(files.read(ConfigDocument.DEVICE_PATH).orElse("{}"));
      FleetPartition.mergePatch(doc, patch);
      String text = doc.encodePrettily() + "\n";
      rolloutAt = partition.loop().now();
      rolloutDigest = ConfigDocument.digest(text.getBytes(StandardCharsets.UTF_8));
      r.count("config.rolledOut", 1);
      files.write(ConfigDocument.DEVICE_PATH, text, null);
    } catch (IOException | RuntimeException e) {
      r.count("config.rolloutFailed", 1);
    }
  }

  /** The device leaves the fleet run: its files are freed. */
  void dispose() {
    files.close();
  }
}
