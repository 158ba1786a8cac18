package io.hostmesh.chrony;

import io.hostmesh.bus.Subscription;
import io.hostmesh.platform.Platforms;
import io.hostmesh.platform.Profile;
import io.hostmesh.platform.Timer;
import io.hostmesh.schema.chrony.ChronyStatus;
import io.hostmesh.schema.chrony.ChronyTopics;
import io.hostmesh.schema.https.HttpsTopics;
import io.hostmesh.schema.https.SimFirewall;
import io.hostmesh.schema.targets.NetworkState;
import io.hostmesh.schema.targets.Target;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.unit.Condition;
import io.hostmesh.unit.RestartPolicy;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * chronyd under healthdog (spec/units.md §chronyd): writes the chrony configuration, runs
 * {@code chronyd -d} (with {@code -x} in sim: the host clock is never touched; and on a device
 * whose hostmesh lacks {@code CAP_SYS_TIME}, where chronyd would exit on its first clock
 * adjustment), checks its health
 * every {@code healthCheckSeconds} and feeds the watchdog with each passing check, publishes
 * {@link ChronyTopics#STATUS} and, the first time a source is selected within bounds,
 * {@link Targets#TIME_SYNC}. Network changes run {@code chronyc onoffline} (99onoffline_ntp).
 *
 * <p>Failure: chronyd exiting, or a check ending in "NTP time lost synchronization", fails the
 * unit; the mesh restarts it per the restart policy (always, after 10 s). Settings: see
 * {@link ChronydSettings}.
 */
public final class ChronydUnit extends UnitVerticle {
  /** spec/units.md §chronyd: {@code Restart=always}, {@code RestartSec=10s}. */
  public static final Duration RESTART_SEC = Duration.ofSeconds(10);
  /** spec/units.md §chronyd: {@code WatchdogSec=240}. */
  public static final Duration WATCHDOG_SEC = Duration.ofSeconds(240);
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private static final Duration FIRST_SYNC_POLL = Duration.ofSeconds(1);
  private static final Duration START_POLL = Duration.ofMillis(50);

  private final RestartPolicy restart;
  private ChronydSettings settings;
  private Chronyc chronyc;
  private SyncProbe probe;
  private ChronydProcess chronyd;
  private Timer healthTimer;
  private Timer statusTimer;
  private Subscription network;
  private boolean stopping;
  private boolean probing;
  /** The next wait between status probes while not yet synchronised (see {@link #backOff}). */
  private Duration unsyncedPoll = FIRST_SYNC_POLL;
  /** chronyd runs with {@code -x}: it never sets the clock, so {@code makestep} cannot work. */
  private boolean noClockControl;

  /** The spec's unit: restart always after 10 s, systemd's start limit (5 in 10 s). */
  public ChronydUnit() {
    this(RestartPolicy.always(RESTART_SEC));
  }

  /** The same unit with another restart policy (tests, or a mesh that shortens RestartSec). */
  public ChronydUnit(RestartPolicy restart) {
    this.restart = Objects.requireNonNull(restart, "restart");
  }

  @Override
  public UnitDescriptor descriptor() {
    return UnitDescriptor.named("chronyd")
        .description("NTP client/server (chronyd under healthdog)")
        .service()
        .requires(Targets.TIME_SYNC_HTTPS_WAIT)
        .condition(Condition.programAvailable("chronyd"))
        .publishes(Targets.TIME_SYNC, ChronyTopics.STATUS)
        .restart(restart)
        .watchdog(WATCHDOG_SEC)
        .build();
  }

  @Override
  public Future<?> start() {
    boolean sim = unit().profile() == Profile.SIM;
    try {
      settings = ChronydSettings.from(unit().settings());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    String socket = unit().files().resolve(ChronyPaths.SOCKET).toString();
    if (socket.length() > ChronyPaths.MAX_SOCKET_PATH) {
      return Future.failedFuture(new IllegalStateException("chronyd command socket path is longer than "
          + ChronyPaths.MAX_SOCKET_PATH + " bytes (device root too deep): " + socket));
    }
    chronyc = new Chronyc(unit().processes(), settings.chronyc(), socket);
    probe = new SyncProbe(chronyc, unit().clock(), unit().scheduler(), unit().log(), sim,
        settings.stepThresholdSeconds(),
        () -> unit().bus().latest(HttpsTopics.SIM_FIREWALL).map(SimFirewall::ntpBlocked).orElse(false));
    return writeConfiguration(sim)
        .compose(conf -> stopStale(conf).map(conf))
        .compose(conf -> ChronydProcess.start(unit().processes(), argv(sim, conf), context, this::chronydSaid))
        .compose(p -> {
          chronyd = p;
          p.exit().onSuccess(this::exited);
          return answering(unit().scheduler().realTime().uptimeMillis() + settings.startTimeout().toMillis());
        })
        // sources written while chronyd was starting may have been missed by its first read
        .compose(v -> chronyc.updateSources())
        .onSuccess(v -> {
          unit().log().info("chronyd started (pid " + chronyd.pid() + ")");
          healthTimer = after(Duration.ZERO, this::healthCheck); // healthdog: run the check immediately
          unsyncedPoll = FIRST_SYNC_POLL;
          statusTimer = after(Duration.ZERO, this::statusPoll);
          network = unit().bus().subscribe(Targets.NETWORK, this::networkChanged);
        })
        .recover(e -> shutdown().transform(x -> Future.failedFuture(e)));
  }

  @Override
  public Future<?> stop() {
    return shutdown();
  }

  private Future<Void> shutdown() {
    stopping = true;
    cancel(healthTimer);
    cancel(statusTimer);
    if (network != null) {
      network.cancel();
    }
    unit().bus().publish(ChronyTopics.STATUS, ChronyStatus.down(unit().clock().now()));
    return chronyd == null ? Future.succeededFuture() : chronyd.stop(STOP_GRACE).mapEmpty();
  }

  /** Writes chrony.conf (on the device's worker); completes with its host path. */
  private Future<String> writeConfiguration(boolean sim) {
    var files = unit().files();
    String text = sim
        ? ChronyConf.sim(p -> files.resolve(p).toString(), settings.servers())
        : ChronyConf.device(p -> files.resolve(p).toString());
    return files.mkdirs(ChronyPaths.SOURCE_DIR, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwx---"))
        .compose(v -> files.mkdirs("/var/lib/chrony", null))
        .compose(v -> files.writeIfChanged(ChronyPaths.CONF, text, null))
        .map(changed -> files.resolve(ChronyPaths.CONF).toString());
  }

  private List<String> argv(boolean sim, String conf) {
    List<String> argv = new ArrayList<>(List.of(settings.chronyd(), "-d"));
    if (sim) {
      argv.add("-x"); // never the host's clock: the sim disciplines its own clock (SyncProbe)
      noClockControl = true;
    } else {
      // without CAP_SYS_TIME chronyd exits at its first adjtimex ("Fatal error : adjtimex(0x8001)
      // failed : Operation not permitted"); with -x it still serves and measures
      Platforms.missingClockCapability().ifPresent(why -> {
        unit().log().warn("chronyd started with -x (it will not set the system clock): " + why);
        argv.add("-x");
        noClockControl = true;
      });
    }
    // run as the mesh's user: chronyd then accepts a command-socket folder owned by it
    argv.addAll(List.of("-u", System.getProperty("user.name"), "-f", conf));
    return argv;
  }

  /**
   * A chronyd left running by a mesh of this device that was killed would make ours exit with
   * "Another chronyd may already be running", after answering on the old one's socket: stop it.
   */
  private Future<Void> stopStale(String conf) {
    return ChronydProcess.stopStale(vertx, unit().files().resolve(ChronyPaths.PID_FILE), conf, STOP_GRACE)
        .map(pid -> {
          if (pid > 0) {
            unit().log().warn("stopped chronyd pid " + pid + ", left running by an earlier mesh of this device");
          }
          return null;
        });
  }

  /** Waits until our chronyd answers on its command socket, or fails with what it said. */
  private Future<Void> answering(long deadline) {
    return chronyc.run("-n", "-m", "tracking").compose(r -> {
      if (r.ok() && chronyd.alive()) {
        return Future.succeededFuture();
      }
      if (!chronyd.alive()) {
        return Future.failedFuture(new IllegalStateException("chronyd exited during start (see its log lines)"));
      }
      if (unit().scheduler().realTime().uptimeMillis() > deadline) {
        return Future.failedFuture(new IllegalStateException("chronyd did not answer on its command socket within "
            + settings.startTimeout().toSeconds() + " s"));
      }
      return unit().scheduler().realTime().sleep(START_POLL).compose(v -> answering(deadline));
    });
  }

  private void chronydSaid(String line) {
    unit().log().info(line);
  }

  private void exited(int status) {
    if (!stopping) {
      unit().bus().publish(ChronyTopics.STATUS, ChronyStatus.down(unit().clock().now()));
      unit().fail("chronyd exited with status " + status);
    }
  }

  /** The last health check found no source at all (sim): shown in the unit's status line. */
  private boolean noSources;

  private void healthCheck() {
    HealthCheck check = new HealthCheck(chronyc, this::refresh, this::step, unit().scheduler(), unit().log(),
        settings.waitsyncTries(), () -> stopping, unit().profile() == Profile.SIM);
    check.run().onSuccess(outcome -> {
      if (outcome != HealthCheck.Outcome.NO_SOURCES && noSources) {
        noSources = false;
        unit().status("");
      }
      switch (outcome) {
        case HEALTHY -> unit().watchdogPing();
        case NO_SOURCES -> {
          unit().watchdogPing();
          if (!noSources) {
            noSources = true;
            unit().log().info("No NTP sources configured (units.chronyd.servers, ntpServers or DHCP): nothing to synchronise with.");
            unit().status("no NTP sources configured");
          }
        }
        case LOST_SYNC -> {
          unit().log().error(HealthCheck.LOST_SYNC);
          unit().fail("health check: " + HealthCheck.LOST_SYNC);
          return;
        }
        case TRIGGER_FAILED, CANCELLED -> {
          // healthdog sends no WATCHDOG=1: the watchdog restarts chronyd if this persists
        }
      }
      healthTimer = after(settings.healthInterval(), this::healthCheck);
    });
  }

  /** The step of the health check: {@code chronyc makestep} on a device; the simulated clock in sim. */
  private Future<Void> step() {
    if (unit().profile() == Profile.SIM) {
      return refresh().mapEmpty(); // SyncProbe steps the simulated clock (makestep answers 500 under -x)
    }
    if (noClockControl) {
      return Future.succeededFuture(); // makestep answers 500 under -x; nobody here may step the clock
    }
    return chronyc.run("makestep").compose(r -> r.ok() ? Future.succeededFuture()
        : Future.failedFuture("makestep: " + r.stdout().trim()));
  }

  private void statusPoll() {
    Future<ChronyStatus> f = probing ? Future.succeededFuture(null) : refresh();
    f.onComplete(ar -> {
      boolean synced = unit().bus().latest(Targets.TIME_SYNC).isPresent();
      Duration next = synced ? settings.statusInterval() : min(unsyncedPoll, settings.statusInterval());
      unsyncedPoll = backOff(unsyncedPoll, settings.statusInterval());
      statusTimer = after(next, this::statusPoll);
    });
  }

  /** Probes chronyd, publishes the status and, the first time it is synced, time-sync. */
  private Future<ChronyStatus> refresh() {
    probing = true;
    return probe.probe().map(s -> {
      probing = false;
      if (stopping) {
        return s;
      }
      unit().bus().publish(ChronyTopics.STATUS, s);
      if (s.synced() && unit().bus().latest(Targets.TIME_SYNC).isEmpty()) {
        unit().bus().publish(Targets.TIME_SYNC,
            new Target("time-sync", unit().clock().now(), unit().scheduler().uptimeMillis()));
      }
      return s;
    });
  }

  /** 99onoffline_ntp: tell chronyd to re-check which sources are reachable; errors are ignored. */
  private void networkChanged(NetworkState state) {
    if (stopping) {
      return;
    }
    unsyncedPoll = FIRST_SYNC_POLL; // sources may be reachable now: look again soon
    unit().log().info("Setting NTP source on/offline status (connectivity-change "
        + (state.online() ? "FULL" : "NONE") + ").");
    chronyc.run("onoffline");
  }

  /**
   * Until the first sync the status is probed after 1 s, then 2, 4, 8 … s up to the synced
   * interval: a first sync is seen within a second or two, and a device that cannot reach any
   * source (offline for days) runs {@code chronyc} every 16 s, not every second.
   */
  static Duration backOff(Duration current, Duration cap) {
    Duration doubled = current.multipliedBy(2);
    return doubled.compareTo(cap) > 0 ? cap : doubled;
  }

  private Timer after(Duration delay, Runnable task) {
    if (stopping) {
      return null;
    }
    return unit().scheduler().schedule(delay, () -> {
      if (!stopping) {
        task.run();
      }
    });
  }

  private static void cancel(Timer t) {
    if (t != null) {
      t.cancel();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
