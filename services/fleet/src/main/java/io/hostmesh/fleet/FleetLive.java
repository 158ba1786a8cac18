package io.hostmesh.fleet;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /v1/fleet} while {@code hostmesh fleet run --port N} runs: on 127.0.0.1 only, on a
 * Vert.x of its own (never a partition's). Each request takes a snapshot of every partition on its
 * loop, between two virtual events (so asking changes nothing the fleet does), and merges them:
 *
 * <pre>{"scenario", "seed", "devices", "partitions", "state": "starting|running|done|failed", "wallSeconds",
 *  "progress": {"virtualSeconds", "durationSeconds", "devicesBooted", "devicesUp", "virtualEvents",
 *               "eventsPerSecond", "partitionsDone"},
 *  "counters": {the merged counters so far}}</pre>
 *
 * <p>Threading: the server's own event loop; {@link #attach} from the engine's thread.
 */
final class FleetLive implements AutoCloseable {
  static final String PATH = "/v1/fleet";

  private final Vertx vertx;
  private HttpServer server;
  private final long startedNanos = System.nanoTime();
  private volatile Attached attached;

  private record Attached(Scenario scenario, List<FleetPartition.Running> runs, AtomicLong eventsPerSecond) {}

  private FleetLive(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Listens on 127.0.0.1:{@code port} (0: a free one); fails as the bind failed, with nothing left
   * behind. Blocks the caller up to 10 s (the command's thread, not an event loop).
   */
  static FleetLive listen(int port) throws Exception {
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1);
    options.getFileSystemOptions().setClassPathResolvingEnabled(false).setFileCachingEnabled(false);
    Vertx vertx = Vertx.vertx(options);
    FleetLive live = new FleetLive(vertx);
    try {
      live.server = vertx.createHttpServer().requestHandler(live::handle)
          .listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return live;
    } catch (Exception e) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      throw e;
    }
  }

  int port() {
    return server.actualPort();
  }

  /** From now on the answers are about these partitions; {@code eventsPerSecond} as the progress line counts them. */
  void attach(Scenario scenario, List<FleetPartition.Running> runs, AtomicLong eventsPerSecond) {
    attached = new Attached(scenario, List.copyOf(runs), eventsPerSecond);
  }

  private void handle(HttpServerRequest r) {
    r.response().putHeader("Content-Type", "application/json");
    if (!r.path().equals(PATH)) {
      r.response().setStatusCode(404).end(new JsonObject().put("error", "no such resource: " + r.path()
          + " (a fleet run serves GET " + PATH + ")").encode());
      return;
    }
    if (r.method() != HttpMethod.GET && r.method() != HttpMethod.HEAD) {
      r.response().setStatusCode(405).putHeader("Allow", "GET, HEAD")
          .end(new JsonObject().put("error", r.method() + " is not allowed: " + PATH + " is read-only").encode());
      return;
    }
    status().onComplete(ar -> {
      if (ar.succeeded()) {
        r.response().end(ar.result().encodePrettily());
      } else {
        r.response().setStatusCode(500).end(new JsonObject().put("error", String.valueOf(ar.cause().getMessage())).encode());
      }
    });
  }

  /** What the fleet has done so far (any thread). */
  Future<JsonObject> status() {
    double wall = (System.nanoTime() - startedNanos) / 1e9;
    Attached a = attached;
    if (a == null) {
      return Future.succeededFuture(new JsonObject().put("state", "starting").put("wallSeconds", wall));
    }
    List<Future<FleetPartition.Snapshot>> snaps = new ArrayList<>();
    a.runs().forEach(r -> snaps.add(r.snapshot()));
    return Future.all(snaps).map(x -> {
      long virtual = Long.MAX_VALUE;
      long events = 0;
      int up = 0;
      int booted = 0;
      int done = 0;
      PartitionResult merged = null;
      for (Future<FleetPartition.Snapshot> f : snaps) {
        FleetPartition.Snapshot s = f.result();
        virtual = Math.min(virtual, s.virtualMillis());
        events += s.tasksRun();
        up += s.devicesUp();
        booted += s.devicesBooted();
        done += s.done() ? 1 : 0;
        merged = merged == null ? s.result() : PartitionResult.merge(merged, s.result());
      }
      boolean failed = a.runs().stream().anyMatch(r -> r.result().failed());
      Scenario sc = a.scenario();
      return new JsonObject()
          .put("scenario", sc.name()).put("seed", sc.seed()).put("devices", sc.devices()).put("partitions", snaps.size())
          .put("state", failed ? "failed" : done == snaps.size() ? "done" : "running")
          .put("wallSeconds", wall)
          .put("progress", new JsonObject()
              .put("virtualSeconds", (virtual == Long.MAX_VALUE ? 0 : virtual) / 1000)
              .put("durationSeconds", sc.durationMillis() / 1000)
              .put("devicesBooted", booted).put("devicesUp", up).put("virtualEvents", events)
              .put("eventsPerSecond", a.eventsPerSecond().get()).put("partitionsDone", done))
          .put("counters", new JsonObject(new java.util.TreeMap<>(merged == null ? java.util.Map.of() : merged.counters())));
    });
  }

  /** Stops serving (bounded: 10 s). */
  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // a close that does not finish leaves daemon threads only; the command is ending anyway
    }
  }
}
