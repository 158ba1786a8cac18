package io.hostmesh.chrony;

import io.hostmesh.platform.Scheduler;
import io.hostmesh.schema.chrony.ChronySource;
import io.hostmesh.schema.chrony.ChronyStatus;
import io.hostmesh.unit.UnitLog;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * chrony-healthcheck (spec/units.md §chronyd), run by the unit as healthdog runs it.
 *
 * <ol>
 *   <li>No source marked {@code *} in {@code chronyc -n sources} → "No online NTP sources -
 *       forcing poll", {@code burst 4/4}, then a step (device: {@code chronyc makestep}; sim:
 *       the simulated clock, see {@link SyncProbe}); a failure → "Failed to trigger NTP sync".
 *   <li>{@code waitsync 60 0.1 0.0 1}, judged by the sources too: chronyd keeps its last
 *       reference after losing every source, so {@code waitsync} alone would still pass. Each
 *       try is {@code waitsync 1 0.1 0.0 1} plus a fresh status that must be synced.
 * </ol>
 *
 * <p>A sim device with no source at all gets {@link Outcome#NO_SOURCES} instead of step 1's
 * error and the watchdog restart every 250 s that follows it in the original (which never meets
 * this case: a device always has its default pools).
 *
 * <p>Threading: call on the unit's context; the result never fails.
 */
final class HealthCheck {
  static final String NO_ONLINE_SOURCES = "No online NTP sources - forcing poll";
  static final String TRIGGER_FAILED = "Failed to trigger NTP sync";
  static final String LOST_SYNC = "NTP time lost synchronization - restarting chronyd";
  /** chrony-healthcheck: {@code waitsync ... 1}, one second between tries. */
  private static final Duration TRY_INTERVAL = Duration.ofSeconds(1);

  /** How a check ended. */
  enum Outcome {
    /** Synchronised: feed the watchdog. */
    HEALTHY,
    /** burst or the step failed: no watchdog ping (healthdog exits 1 too). */
    TRIGGER_FAILED,
    /** Not synchronised after every try: restart chronyd. */
    LOST_SYNC,
    /** The unit is stopping: do nothing. */
    CANCELLED,
    /**
     * chronyd has no source at all (a sim device without servers; a device always has the
     * default pools): nothing to synchronise with is a state, not a fault: feed the watchdog.
     */
    NO_SOURCES
  }

  private final Chronyc chronyc;
  private final Supplier<Future<ChronyStatus>> refresh;
  private final Supplier<Future<Void>> step;
  private final Scheduler scheduler;
  private final UnitLog log;
  private final int tries;
  private final BooleanSupplier cancelled;
  private final boolean noSourcesIsAState;

  HealthCheck(Chronyc chronyc, Supplier<Future<ChronyStatus>> refresh, Supplier<Future<Void>> step,
      Scheduler scheduler, UnitLog log, int tries, BooleanSupplier cancelled, boolean noSourcesIsAState) {
    this.noSourcesIsAState = noSourcesIsAState;
    this.chronyc = chronyc;
    this.refresh = refresh;
    this.step = step;
    this.scheduler = scheduler;
    this.log = log;
    this.tries = tries;
    this.cancelled = cancelled;
  }

  Future<Outcome> run() {
    return chronyc.sources()
        .recover(e -> Future.succeededFuture(List.of()))
        .compose(sources -> {
          if (cancelled.getAsBoolean()) {
            return Future.succeededFuture(Outcome.CANCELLED);
          }
          if (sources.stream().anyMatch(ChronySource::selected)) {
            return waitSync(tries);
          }
          if (sources.isEmpty() && noSourcesIsAState) {
            return Future.succeededFuture(Outcome.NO_SOURCES);
          }
          log.info(NO_ONLINE_SOURCES);
          return chronyc.run("burst 4/4")
              .compose(r -> r.ok() ? step.get() : Future.failedFuture("burst: " + r.stdout().trim()))
              .transform(ar -> {
                if (ar.failed()) {
                  log.error(TRIGGER_FAILED);
                  return Future.succeededFuture(Outcome.TRIGGER_FAILED);
                }
                return waitSync(tries);
              });
        });
  }

  private Future<Outcome> waitSync(int remaining) {
    if (cancelled.getAsBoolean()) {
      return Future.succeededFuture(Outcome.CANCELLED);
    }
    return chronyc.run("waitsync", "1", "0.1", "0.0", "1")
        .compose(w -> refresh.get().map(s -> w.ok() && s.synced()))
        .recover(e -> Future.succeededFuture(false))
        .compose(synced -> {
          if (synced) {
            return Future.succeededFuture(Outcome.HEALTHY);
          }
          if (cancelled.getAsBoolean()) {
            return Future.succeededFuture(Outcome.CANCELLED);
          }
          if (remaining <= 1) {
            return Future.succeededFuture(Outcome.LOST_SYNC);
          }
          return scheduler.sleep(TRY_INTERVAL).compose(v -> waitSync(remaining - 1));
        });
  }
}
