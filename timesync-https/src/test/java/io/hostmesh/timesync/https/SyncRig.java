package io.hostmesh.timesync.https;

import io.hostmesh.unit.support.BuildTime;
import io.hostmesh.demo.ConnectivityEndpoint;

import io.hostmesh.platform.Poll;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.Projections.ConnectivityConfig;
import io.hostmesh.schema.https.HttpsSyncAttempt;
import io.hostmesh.schema.https.HttpsTopics;
import io.hostmesh.schema.targets.Target;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.schema.unit.UnitStateChanged;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.hostmesh.units.network.NetworkUnit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A simulated device on virtual time running timesync-https, the network unit and a stand-in
 * "network service" that requires time-sync-https-wait; the test latches time-set and the
 * connectivity config itself.
 */
final class SyncRig implements AutoCloseable {
  static final String BUILD_TIME = "20200101000000\n";
  static final long WAIT_SECONDS = 20;

  final Vertx vertx;
  final SimDevice dev;
  final List<HttpsSyncAttempt> attempts = new CopyOnWriteArrayList<>();

  /** A unit held until HTTPS time sync ends, as chronyd is. */
  public static final class NetworkService extends UnitVerticle {
    static final UnitDescriptor DESCRIPTOR = UnitDescriptor.named("network-service").oneshot()
        .requires(Targets.TIME_SYNC_HTTPS_WAIT).build();

    @Override
    public UnitDescriptor descriptor() {
      return DESCRIPTOR;
    }

    @Override
    public Future<?> start() {
      return Future.succeededFuture();
    }
  }

  SyncRig(Vertx vertx, String buildTime, boolean rtc) {
    this(vertx, buildTime, rtc, false);
  }

  /** {@code networkDown}: the sim network is down from the start (NetworkManager up, no link). */
  SyncRig(Vertx vertx, String buildTime, boolean rtc, boolean networkDown) {
    this(vertx, buildTime, rtc, networkDown, null);
  }

  /** {@code platform}: wraps the sim platform to inject a fault at its edge (may be null). */
  SyncRig(Vertx vertx, String buildTime, boolean rtc, boolean networkDown,
      java.util.function.UnaryOperator<io.hostmesh.platform.Platform> platform) {
    this.vertx = vertx;
    SimDevice.Builder b = SimDevice.builder(vertx).virtualTime()
        .unit(HttpsTimeSync::new).unit(NetworkUnit::new).unit(NetworkService::new)
        .external(Targets.TIME_SET, ConfigTopics.CONNECTIVITY)
        .file(io.hostmesh.unit.support.BuildTime.FILE, buildTime);
    if (rtc) {
      b.file("/dev/rtc", "0\n");
    }
    if (networkDown) {
      b.file(NetworkUnit.SIM_STATE_FILE, "down\n");
    }
    if (platform != null) {
      b.platform(platform);
    }
    this.dev = b.build();
    dev.bus().subscribe(HttpsTopics.ATTEMPT, attempts::add);
  }

  SyncRig(Vertx vertx) {
    this(vertx, BUILD_TIME, false);
  }

  /** Starts the mesh, then latches the config and time-set: timesync-https starts. */
  SyncRig boot(ConnectivityConfig config) {
    get(dev.start());
    dev.bus().publish(ConfigTopics.CONNECTIVITY, config);
    dev.bus().publish(Targets.TIME_SET, new Target("time-set", now(), 0));
    return this;
  }

  Instant now() {
    return dev.mesh().platform().clock().now();
  }

  Target reached() {
    return get(dev.await(Targets.TIME_SYNC_HTTPS_WAIT, t -> true));
  }

  boolean isReached() {
    return dev.bus().latest(Targets.TIME_SYNC_HTTPS_WAIT).isPresent();
  }

  UnitState state(String unit) {
    return dev.mesh().unit(unit).orElseThrow().state();
  }

  /** Index in the timeline of the unit's first change to {@code state}, -1 if none. */
  int when(String unit, UnitState state) {
    List<UnitStateChanged> t = dev.mesh().timeline();
    for (int i = 0; i < t.size(); i++) {
      if (t.get(i).unit().equals(unit) && t.get(i).state() == state) {
        return i;
      }
    }
    return -1;
  }

  HttpsSyncAttempt attempt(int n) {
    get(until(() -> attempts.size() >= n));
    return attempts.get(n - 1);
  }

  /** Runs the next virtual-time task (a retry, or the 10 s cap). */
  void advance() {
    get(dev.time().advanceToNext());
  }

  /** Polls every 5 ms until the condition holds; fails after {@value #WAIT_SECONDS} s. */
  Future<Void> until(BooleanSupplier condition) {
    return Poll.until(vertx, Duration.ofSeconds(WAIT_SECONDS), Duration.ofMillis(5), "condition", condition);
  }

  /** Stops a rig and an endpoint, either may be null. */
  static void closeBoth(SyncRig rig, ConnectivityEndpoint ep) {
    if (rig != null) {
      rig.close();
    }
    if (ep != null) {
      get(ep.close());
    }
  }

  static <T> T get(Future<T> f) {
    try {
      return f.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no result within " + WAIT_SECONDS + " s", e);
    }
  }

  @Override
  public void close() {
    get(dev.stop().recover(e -> Future.succeededFuture()));
    dev.close();
  }
}
