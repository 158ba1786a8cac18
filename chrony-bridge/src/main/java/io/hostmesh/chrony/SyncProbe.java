package io.hostmesh.chrony;

import io.hostmesh.platform.Scheduler;
import io.hostmesh.platform.SystemClock;
import io.hostmesh.schema.chrony.ChronySource;
import io.hostmesh.schema.chrony.ChronyStatus;
import io.hostmesh.unit.UnitLog;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/**
 * Reads chronyd's sources and tracking into a {@link ChronyStatus}; in sim it also does what
 * chronyd's {@code makestep 1 -1} does on a device, to the simulated clock.
 *
 * <p>Why the sim needs this: chronyd runs with {@code -x} and both it and the test's server
 * chronyd see the host's clock, so chronyd's own offset is about zero whatever the simulated
 * clock says. The NTP time chronyd believes in is {@code host time + correction}; the simulated
 * clock is off by {@code that − sim now}, and is stepped to it when off by more than the threshold.
 *
 * <p>Threading: call on the unit's context.
 */
final class SyncProbe {
  /** spec/units.md §chronyd, chrony-healthcheck: {@code waitsync 60 0.1 ...}, max correction 0.1 s. */
  static final double SYNCED_MAX_OFFSET_SECONDS = 0.1;

  private final Chronyc chronyc;
  private final SystemClock clock;
  private final Scheduler scheduler;
  private final UnitLog log;
  private final boolean simulated;
  private final double stepThresholdSeconds;
  private final java.util.function.BooleanSupplier ntpBlocked;

  /**
   * @param ntpBlocked sim only: whether the device's NTP traffic is blocked now (its iptables
   *     rules): then no sample would reach a real chronyd, so nothing steps the simulated clock
   *     (chronyd here still hears its source, which the emulation takes offline only afterwards)
   */
  SyncProbe(Chronyc chronyc, SystemClock clock, Scheduler scheduler, UnitLog log, boolean simulated,
      double stepThresholdSeconds, java.util.function.BooleanSupplier ntpBlocked) {
    this.ntpBlocked = ntpBlocked;
    this.chronyc = chronyc;
    this.clock = clock;
    this.scheduler = scheduler;
    this.log = log;
    this.simulated = simulated;
    this.stepThresholdSeconds = stepThresholdSeconds;
  }

  /** The current status; a chronyd that does not answer gives {@link ChronyStatus#down}. Never fails. */
  Future<ChronyStatus> probe() {
    return chronyc.sources()
        .compose(sources -> chronyc.tracking().compose(t -> status(sources, t)))
        .recover(e -> Future.succeededFuture(ChronyStatus.down(clock.now())));
  }

  private Future<ChronyStatus> status(List<ChronySource> sources, ChronyReports.Tracking t) {
    ChronySource selected = null;
    int reachable = 0;
    for (ChronySource s : sources) { // loops, not streams: this runs on every status poll
      if (selected == null && s.selected()) {
        selected = s;
      }
      reachable += s.reach() > 0 ? 1 : 0;
    }
    ChronySource chosen = selected;
    int reached = reachable;
    Future<Double> offset = simulated && chosen != null && t.hasReference()
        ? disciplineSimClock(t.correctionSeconds(), !ntpBlocked.getAsBoolean())
        : Future.succeededFuture(-t.correctionSeconds());
    return offset.map(o -> {
      boolean synced = chosen != null && Math.abs(o) <= SYNCED_MAX_OFFSET_SECONDS;
      return new ChronyStatus(true, synced, chosen == null ? null : chosen.address(), t.stratum(), o,
          t.refTime(), sources, reached, clock.now());
    });
  }

  /**
   * Steps the simulated clock to chronyd's NTP time when off by more than the threshold and
   * {@code mayStep}; completes with the offset left.
   */
  private Future<Double> disciplineSimClock(double correctionSeconds, boolean mayStep) {
    long ntpMillis = scheduler.hostMillis() + Math.round(correctionSeconds * 1000);
    double offset = (clock.now().toEpochMilli() - ntpMillis) / 1000.0;
    if (Math.abs(offset) <= stepThresholdSeconds || !mayStep) {
      return Future.succeededFuture(offset);
    }
    return clock.set(Instant.ofEpochMilli(ntpMillis), "ntp").map(set -> {
      // chronyd's own message when makestep steps the clock (the amount it moved it)
      log.info(String.format(java.util.Locale.ROOT, "System clock was stepped by %.6f seconds", -offset));
      return (clock.now().toEpochMilli() - ntpMillis) / 1000.0;
    });
  }
}
