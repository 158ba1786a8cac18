package io.hostmesh.fleet;

import io.hostmesh.bus.Bus;
import io.hostmesh.bus.Subscription;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.hostos.HostOsTopics;
import io.hostmesh.schema.hostos.HupOutcome;
import io.hostmesh.schema.hostos.HupRecord;
import io.hostmesh.schema.https.HttpsSyncResult;
import io.hostmesh.schema.https.HttpsTopics;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.schema.time.ClockSet;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.schema.unit.UnitTopics;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * What one fleet device measures into its partition's result, from its bus (the units know
 * nothing of the fleet): time to time-set, HTTPS and NTP sync from each boot, HTTPS attempts and
 * results, clock sets, unit failures, config convergence after a rollout, HUP outcomes after a HUP
 * event, and its share of the levels (without a trusted clock, a clock more than a day off).
 *
 * <p>Threading: only on the partition's event loop.
 */
final class DeviceMeter {
  private static final long DAY_MILLIS = 86_400_000L;
  /** Time from a HUP event to its outcome (committed, rolled back), milliseconds. */
  static final String HUP_OUTCOME = "hupOutcomeMs";

  private final FleetPartition partition;
  private final int id;
  private final boolean traced;
  private final long buildMillis;
  private final LongSupplier clockError;
  private boolean running;
  private boolean untrustedCounted;
  private boolean offByDay;
  private boolean timeSet;
  private long bootAt;
  private long rolloutAt = -1;
  private String rolloutDigest;
  private long hupAt = -1;

  DeviceMeter(FleetPartition partition, int id, long buildMillis, LongSupplier clockError) {
    this.partition = partition;
    this.id = id;
    this.traced = partition.traced(id);
    this.buildMillis = buildMillis;
    this.clockError = clockError;
  }

  private long now() {
    return partition.loop().now();
  }

  private PartitionResult r() {
    return partition.result();
  }

  void trace(String line) {
    if (traced) {
      partition.trace(id, line);
    }
  }

  /** Userspace of a new boot starts: its clock is not trusted yet. */
  void booted() {
    running = true;
    bootAt = now();
    timeSet = false;
    untrustedCounted = true;
    r().count("boots", 1);
    r().level("devicesWithoutTrustedClock", bootAt / 1000, 1);
    offByDay = false;
    checkOffByDay();
  }

  /** The boot's userspace ends (a reboot, a power cut): it leaves the levels it was counted in. */
  void ended() {
    long s = now() / 1000;
    running = false;
    if (untrustedCounted) {
      untrustedCounted = false;
      r().level("devicesWithoutTrustedClock", s, -1);
    }
    if (offByDay) {
      offByDay = false;
      r().level("devicesClockOffByMoreThanADay", s, -1);
    }
  }

  void watch(Bus bus, List<Subscription> subscriptions) {
    PartitionResult r = r();
    subscriptions.add(bus.subscribe(Targets.TIME_SET, t -> {
      if (!timeSet) {
        timeSet = true;
        r.record(PartitionResult.TIME_TO_TIME_SET, now() - bootAt);
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
        r.record(PartitionResult.HTTPS_SYNC, now() - bootAt);
        trust();
      }
    }));
    subscriptions.add(bus.subscribe(Targets.TIME_SYNC, t -> {
      r.record(PartitionResult.NTP_SYNC, now() - bootAt);
      trust();
    }));
    subscriptions.add(bus.subscribe(UnitTopics.STATE_CHANGES, c -> {
      if (c.state() == UnitState.FAILED) {
        r.count("unit.failed." + c.unit(), 1);
      }
    }));
    subscriptions.add(bus.subscribe(ConfigTopics.STATUS, s -> {
      if (rolloutAt >= 0 && rolloutDigest != null && rolloutDigest.equals(s.digest())) {
        long t = now();
        r.record(PartitionResult.CONFIG_CONVERGENCE, t - rolloutAt);
        r.event("config.applied", t / 1000, 1);
        r.count(s.refused().isEmpty() ? "config.applied" : "config.appliedWithRefusedKeys", 1);
        rolloutAt = -1;
      }
    }));
    // the rollback units record how an update ended in /mnt/state (os.status's lastHup)
    subscriptions.add(bus.subscribe(HostOsTopics.STATUS, s -> {
      HupRecord h = s.lastHup();
      if (hupAt >= 0 && h != null && h.outcome() != HupOutcome.IN_PROGRESS) {
        hupOutcome(h.outcome(), s.breadcrumbs(), h.detail());
      }
    }));
  }

  private void trust() {
    if (untrustedCounted && running) {
      untrustedCounted = false;
      r().level("devicesWithoutTrustedClock", now() / 1000, -1);
    }
  }

  void clockSet(ClockSet set) {
    PartitionResult r = r();
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
    boolean off = running && Math.abs(clockError.getAsLong()) > DAY_MILLIS;
    if (off != offByDay) {
      offByDay = off;
      r().level("devicesClockOffByMoreThanADay", now() / 1000, off ? 1 : -1);
    }
  }

  /** A rollout wrote this config.json (its digest); convergence is when config-watcher has it in force. */
  void rolledOut(String digest) {
    rolloutAt = now();
    rolloutDigest = digest;
  }

  /** A HUP event asked this device to update; its outcome is measured from now. */
  void hupRequested() {
    hupAt = now();
  }

  /** The update was refused before anything was written (the answer's reason). */
  void hupRefused(String why) {
    hupAt = -1;
    r().count("hup.refused", 1);
    trace("host OS update refused: " + why);
  }

  private void hupOutcome(HupOutcome outcome, List<String> breadcrumbs, String detail) {
    long t = now();
    String kind = outcome.name().toLowerCase(Locale.ROOT);
    r().count("hup.outcome." + kind, 1);
    r().event("hup." + kind, t / 1000, 1);
    r().record(HUP_OUTCOME, t - hupAt);
    hupAt = -1;
    trace("host OS update " + kind + (detail == null || detail.isEmpty() ? "" : ": " + detail) + " (breadcrumbs "
        + breadcrumbs + ")");
    partition.hup(id, outcome, breadcrumbs);
  }
}
