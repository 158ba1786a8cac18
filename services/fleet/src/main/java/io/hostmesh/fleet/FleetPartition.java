package io.hostmesh.fleet;

import io.hostmesh.schema.hostos.HupOutcome;
import io.hostmesh.schema.https.HttpsSyncAttempt;
import io.hostmesh.schema.time.ClockSet;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One partition's run: its devices on one {@link PartitionLoop}, the scenario's events scheduled at
 * their times, the models shared by its devices (the endpoint, the NTP servers), and the result.
 * {@link #run} is the {@link PartitionRunner} of one JVM; the result depends on the spec alone.
 *
 * <p>Threading: built and run on the partition's event loop; {@link #run} may be called anywhere.
 */
public final class FleetPartition {
  /** What a test or the command line may watch as the run goes (on the partition's loop). */
  public interface Observer {
    default void attempt(int device, long virtualMillis, HttpsSyncAttempt attempt) {}

    default void clockSet(int device, long virtualMillis, ClockSet set) {}

    default void trace(int device, long virtualMillis, String line) {}

    /** A host OS update a HUP event asked for ended ({@code breadcrumbs}: the rollback files in /mnt/state then). */
    default void hup(int device, long virtualMillis, HupOutcome outcome, List<String> breadcrumbs) {}

    /** Called about once per virtual minute, and at the end. */
    default void progress(int partition, long virtualMillis, int devicesUp, long tasksRun) {}
  }

  /** How long the devices get to stop after the end (virtual ms; a stop waits up to 5 s for units still starting). */
  private static final long WIND_DOWN_MILLIS = 60_000;

  private final PartitionSpec spec;
  private final Scenario scenario;
  private final PartitionLoop loop;
  private final PartitionResult result;
  private final Observer observer;
  private final int traceDevice;
  private final JsonObject settings;
  private final List<FleetDevice> devices = new ArrayList<>();
  private HttpsEndpoint endpoint;
  private List<HttpsEndpoint.Window> ntpOutages;
  private volatile int bootedAtEnd;

  private FleetPartition(PartitionSpec spec, Observer observer, int traceDevice) {
    this.spec = spec;
    this.scenario = Scenario.of(spec.scenario());
    this.observer = observer;
    this.traceDevice = traceDevice;
    this.loop = PartitionLoop.create(scenario.startTime().toEpochMilli());
    Map<String, String> header = new TreeMap<>();
    header.put("scenario", scenario.name());
    header.put("seed", Long.toString(spec.seed()));
    header.put("devices", Integer.toString(spec.fleetDevices()));
    header.put("partitions", Integer.toString(spec.partitions()));
    header.put("durationSeconds", Long.toString(scenario.durationMillis() / 1000));
    header.put("bucketSeconds", Long.toString(scenario.bucketSeconds()));
    this.result = new PartitionResult(spec.partition(), header);
    this.settings = new JsonObject()
        .put("api", new JsonObject().put("port", -1))
        .put("timeline", new JsonObject().put("size", 32))
        .put("journal", new JsonObject().put("size", 32))
        .put("units", new JsonObject()
            // files report their changes (MemoryFiles.watch): no periodic look at config.json
            .put("config-watcher", new JsonObject().put("rescanMillis", 0))
            // the default pool of a device, as one modelled source
            .put("chronyd", new JsonObject().put("servers", new JsonArray().add("192.0.2.123 iburst"))));
  }

  /** Runs a partition in this JVM; {@code traceDevice} -1 for none. */
  public static Future<PartitionResult> run(PartitionSpec spec, Observer observer, int traceDevice) {
    return start(spec, observer, traceDevice).result();
  }

  /**
   * What a partition has done so far, taken on its loop between two virtual events (so it changes
   * nothing the partition does).
   *
   * @param virtualMillis the virtual time the partition reached
   * @param devicesUp devices powered on now
   * @param devicesBooted devices that have booted at least once
   * @param tasksRun virtual events run so far
   * @param result a copy of its result so far (the final one once done)
   * @param done whether the partition has finished
   */
  public record Snapshot(long virtualMillis, int devicesUp, int devicesBooted, long tasksRun, PartitionResult result,
      boolean done) {}

  /** A partition that runs: its result when done, and what it has done so far meanwhile. */
  public static final class Running {
    private final FleetPartition partition;
    private final Future<PartitionResult> result;
    private volatile Snapshot last;

    private Running(FleetPartition partition, Future<PartitionResult> result) {
      this.partition = partition;
      this.result = result;
    }

    public Future<PartitionResult> result() {
      return result;
    }

    /**
     * A snapshot taken on the partition's loop (any thread may ask); once the partition has
     * finished, its final result. Never fails: a failed partition answers with its last snapshot.
     */
    public Future<Snapshot> snapshot() {
      Promise<Snapshot> p = Promise.promise();
      result.onComplete(ar -> p.tryComplete(finalSnapshot()));
      if (!result.isComplete()) {
        partition.loop.context().runOnContext(v -> {
          if (!result.isComplete()) {
            FleetPartition f = partition;
            Snapshot s = new Snapshot(f.loop.now(), f.up(), f.booted(), f.loop.tasksRun(), f.result.copy(), false);
            last = s;
            p.tryComplete(s);
          }
        });
      }
      return p.future();
    }

    private Snapshot finalSnapshot() {
      if (result.succeeded()) {
        PartitionResult r = result.result();
        return new Snapshot(partition.scenario.durationMillis(), 0, partition.bootedAtEnd, r.counter("virtualTasks"), r,
            true);
      }
      Snapshot s = last;
      return s != null ? new Snapshot(s.virtualMillis(), 0, s.devicesBooted(), s.tasksRun(), s.result(), true)
          : new Snapshot(0, 0, 0, 0, new PartitionResult(partition.spec.partition(), partition.result.header()), true);
    }
  }

  /** Starts a partition in this JVM; {@code traceDevice} -1 for none. */
  public static Running start(PartitionSpec spec, Observer observer, int traceDevice) {
    FleetPartition p = new FleetPartition(spec, observer, traceDevice);
    Promise<PartitionResult> done = Promise.promise();
    p.loop.context().runOnContext(v -> {
      try {
        p.build();
      } catch (RuntimeException | LinkageError e) {
        done.fail(e);
        return;
      }
      p.loop.onProgress(t -> observer.progress(spec.partition(), t, p.up(), p.loop.tasksRun()));
      long end = p.scenario.durationMillis();
      p.loop.run(end, () -> false)
          .compose(x -> p.windDown(end))
          .onComplete(ar -> {
            observer.progress(spec.partition(), end, p.up(), p.loop.tasksRun());
            p.result.count("virtualTasks", p.loop.tasksRun());
            p.bootedAtEnd = p.booted();
            p.devices.forEach(FleetDevice::dispose);
            if (ar.succeeded()) {
              done.complete(p.result);
            } else {
              done.fail(ar.cause());
            }
          });
    });
    return new Running(p, done.future().eventually(() -> p.loop.close()));
  }

  /** The same as {@link #run(PartitionSpec, Observer, int)} without watching. */
  public static PartitionRunner runner() {
    return spec -> run(spec, new Observer() { }, -1);
  }

  private Future<Void> windDown(long end) {
    devices.forEach(FleetDevice::powerCut);
    List<Future<Void>> all = devices.stream().map(FleetDevice::stopped).toList();
    Future<Void> stopped = Future.join(all).mapEmpty();
    return loop.run(end + WIND_DOWN_MILLIS, () -> stopped.isComplete()).compose(x -> stopped.isComplete()
        ? Future.succeededFuture()
        : Future.failedFuture("devices of partition " + spec.partition() + " did not stop within "
            + WIND_DOWN_MILLIS / 1000 + " virtual seconds"));
  }

  /** Devices that have booted at least once. */
  private int booted() {
    int n = 0;
    for (FleetDevice d : devices) {
      n += d.boots() > 0 ? 1 : 0;
    }
    return n;
  }

  private int up() {
    int n = 0;
    for (FleetDevice d : devices) {
      n += d.up() ? 1 : 0;
    }
    return n;
  }

  private void build() {
    long seed = spec.seed();
    JsonObject net = scenario.network();
    JsonObject latency = net.getJsonObject("latencyMs", new JsonObject());
    double median = latency.getDouble("median", 80.0);
    JsonObject ep = scenario.endpoint();
    List<HttpsEndpoint.Window> outages = new ArrayList<>(Scenario.windows(ep.getJsonArray("outages"), "refused"));
    JsonArray events = scenario.events();
    for (int i = 0; i < events.size(); i++) {
      JsonObject e = events.getJsonObject(i);
      if (e.getString("kind").equals("endpoint-outage")) {
        long at = Scenario.millis(e.getValue("at"));
        outages.add(new HttpsEndpoint.Window(at, at + Scenario.millis(e.getValue("durationSeconds")),
            e.getString("mode", "refused")));
      }
    }
    long capacity = ep.getLong("capacityPerSecond", 0L);
    long share = capacity <= 0 ? 0 : Math.max(1, Math.round((double) capacity * spec.deviceCount() / spec.fleetDevices()));
    endpoint = new HttpsEndpoint(median, latency.getDouble("p99", median * 4), net.getDouble("loss", 0.0), share,
        ep.getBoolean("trusted", true), outages, Scenario.windows(ep.getJsonArray("captive"), "missing"),
        (t, rejected) -> {
          result.event("https.requests", t / 1000, 1);
          if (rejected) {
            result.event("https.rejected", t / 1000, 1);
          }
        });
    ntpOutages = Scenario.windows(scenario.ntp().getJsonArray("outages"), "");
    for (int id = spec.firstDevice(); id < spec.firstDevice() + spec.deviceCount(); id++) {
      DeviceDraw draw = DeviceDraw.of(scenario, seed, id);
      result.count("mix." + draw.mixName(), 1);
      FleetDevice d = new FleetDevice(this, draw);
      devices.add(d);
      loop.at(draw.bootAtMillis(), d::powerOn);
    }
    for (int i = 0; i < events.size(); i++) {
      schedule(i, events.getJsonObject(i));
    }
  }

  private void schedule(int index, JsonObject e) {
    long at = Scenario.millis(e.getValue("at"));
    double share = e.getDouble("share", 1.0);
    long salt = 1000 + index;
    switch (e.getString("kind")) {
      case "power-cut" -> {
        long off = Scenario.millis(e.getValue("offSeconds", 0));
        long spread = Scenario.millis(e.getValue("restoreSpreadSeconds", 0));
        for (FleetDevice d : devices) {
          if (Draw.unit(spec.seed(), salt, d.id) < share) {
            long restore = at + off + Math.round(spread * Draw.unit(spec.seed(), salt + 500, d.id));
            loop.at(at, d::powerCut);
            loop.at(restore, d::powerOn);
          }
        }
      }
      case "config-rollout" -> {
        JsonObject patch = e.getJsonObject("set");
        for (FleetDevice d : devices) {
          if (Draw.unit(spec.seed(), salt, d.id) < share) {
            loop.at(at, () -> d.rollout(patch));
          }
        }
      }
      case "hup" -> {
        String version = e.getString("version");
        String brk = e.getString("break", "engine");
        double broken = e.getDouble("brokenShare", 0.0);
        for (FleetDevice d : devices) {
          if (Draw.unit(spec.seed(), salt, d.id) < share) {
            boolean bad = DeviceDraw.brokenHup(spec.seed(), index, d.id, broken);
            loop.at(at, () -> d.hup(version, bad ? brk : ""));
          }
        }
      }
      default -> { } // endpoint outages are windows of the endpoint (build)
    }
  }

  /** RFC 7396 merge patch, in place. */
  static void mergePatch(JsonObject target, JsonObject patch) {
    for (String k : patch.fieldNames()) {
      Object v = patch.getValue(k);
      if (v == null) {
        target.remove(k);
      } else if (v instanceof JsonObject p && target.getValue(k) instanceof JsonObject t) {
        mergePatch(t, p);
      } else {
        target.put(k, v instanceof JsonObject p ? p.copy() : v instanceof JsonArray a ? a.copy() : v);
      }
    }
  }

  // what the devices use

  PartitionLoop loop() {
    return loop;
  }

  Scenario scenario() {
    return scenario;
  }

  long seed() {
    return spec.seed();
  }

  int number() {
    return spec.partition();
  }

  PartitionResult result() {
    return result;
  }

  HttpsEndpoint endpoint() {
    return endpoint;
  }

  JsonObject settings() {
    return settings;
  }

  boolean ntpDown(long t) {
    return HttpsEndpoint.Window.anyCovers(ntpOutages, t);
  }

  boolean traced(int id) {
    return id == traceDevice;
  }

  void trace(int id, String line) {
    observer.trace(id, loop.now(), line);
  }

  void attempt(int id, HttpsSyncAttempt a) {
    observer.attempt(id, loop.now(), a);
  }

  void hup(int id, HupOutcome outcome, List<String> breadcrumbs) {
    observer.hup(id, loop.now(), outcome, breadcrumbs);
  }

  void clockSet(int id, ClockSet set) {
    observer.clockSet(id, loop.now(), set);
  }
}
