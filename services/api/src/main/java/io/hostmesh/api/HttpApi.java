package io.hostmesh.api;

import io.hostmesh.bus.Facet;

import io.hostmesh.spi.ApiHandler;
import io.hostmesh.spi.ApiRequest;
import io.hostmesh.spi.ApiResponse;
import io.hostmesh.spi.ApiRoutes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;

import io.hostmesh.bus.JsonRecordCodec;
import io.hostmesh.mesh.EventLoopLag;
import io.hostmesh.mesh.Mesh;
import io.hostmesh.mesh.UnitStatus;
import io.hostmesh.schema.unit.UnitState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The HTTP API on 127.0.0.1 (architecture.md "What a user touches"): {@code /v1/boots},
 * {@code /v1/units}, {@code /v1/timeline} and {@code /v1/boot}, each of this boot or an earlier
 * one ({@link BootRoutes}), {@code /v1/units/{name}}, {@code /v1/time}, {@code /v1/state},
 * {@code /v1/logs} ({@link LogRoutes}), {@code /health}, {@code /metrics};
 * the unit jobs {@code POST /v1/units/{name}/restart} and {@code .../reset-failed}
 * ({@link UnitRoutes}); {@code POST /v1/stop} when the runner gave a {@link #stopAction}; plus
 * the routes of every {@link ApiRoutes} found on the class path.
 */
public final class HttpApi extends VerticleBase {
  private final Mesh mesh;
  private final String host;
  private final int port;
  private final EventLoopLag lag;
  private MeshMetrics metrics;
  private Runnable unbindLag = () -> { };
  private HttpServer server;
  private LogRoutes logs;
  /** The commands of SSH sessions into a sim device (null on a real device). */
  private io.hostmesh.api.shell.ShellRoutes shell;
  private volatile Runnable stopAction;
  private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

  public HttpApi(Mesh mesh, String host, int port) {
    this(mesh, host, port, null);
  }

  /** With the event-loop lag probe's samples on {@code /metrics} ({@code lag} may be null). */
  public HttpApi(Mesh mesh, String host, int port, EventLoopLag lag) {
    this.mesh = mesh;
    this.host = host;
    this.port = port;
    this.lag = lag;
  }

  /**
   * What {@code POST /v1/stop} does: the same orderly stop as SIGTERM, decided by whoever runs
   * the mesh ({@code hostmesh run}); called once per accepted request, on an event loop, so it
   * must hand the stop to a thread of its own. Without one the endpoint answers 501.
   */
  public HttpApi stopAction(Runnable action) {
    this.stopAction = action;
    return this;
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return server == null ? -1 : server.actualPort();
  }

  @Override
  public Future<?> start() {
    metrics = new MeshMetrics(mesh);
    if (lag != null) {
      unbindLag = metrics.bindEventLoopLag(lag);
    }
    Router router = Router.router(vertx);
    BootRoutes boots = new BootRoutes(mesh); // /v1/boots; /v1/units, /v1/timeline and /v1/boot, each with ?boot=
    router.route().handler(rc -> { // counted until answered, so shutdown() can wait for the answers
      inFlight.incrementAndGet();
      rc.addEndHandler(v -> inFlight.decrementAndGet());
      rc.next();
    });
    boots.mount(router);
    router.get("/v1/units/:name").handler(rc -> mesh.unit(rc.pathParam("name"))
        .ifPresentOrElse(u -> json(rc, 200, u), () -> json(rc, 404, Map.of("error", "no unit named " + rc.pathParam("name")))));
    router.get("/v1/time").handler(rc -> time().onComplete(ar -> json(rc, ar.succeeded() ? 200 : 500,
        ar.succeeded() ? ar.result() : Map.of("error", String.valueOf(ar.cause().getMessage())))));
    router.get("/v1/state").handler(rc -> json(rc, 200, mesh.bus().latched()));
    logs = new LogRoutes(mesh, boots);
    logs.mount(router);
    new UnitRoutes(mesh).mount(router);
    router.post("/v1/stop").handler(this::stopRequest);
    if (mesh.platform().profile() == io.hostmesh.platform.Profile.SIM) {
      shell = new io.hostmesh.api.shell.ShellRoutes(mesh, vertx);
      shell.mount(router);
    }
    router.get("/health").handler(this::health);
    router.get("/metrics").handler(rc -> rc.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
        .end(metrics.scrape()));
    ServiceLoader.load(ApiRoutes.class, Thread.currentThread().getContextClassLoader()).forEach(r -> mount(router, r, mesh));
    // HTTP/1.1 only: with h2c on (Vert.x's default) Java's HttpClient upgrades, and an answer sent
    // just before the API stops for a reboot was lost to the connection's GOAWAY
    return vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setHttp2ClearTextEnabled(false))
        .requestHandler(router).listen(port, host).onSuccess(s -> server = s)
        .compose(s -> shell == null ? Future.succeededFuture(s) : shell.announce(host, s.actualPort()).map(s));
  }

  /**
   * Stops taking requests and lets those under way be answered, for at most {@code grace} (a sim
   * device's reboot: the API of the boot that ends answers the request that asked for it).
   */
  public Future<Void> shutdown(java.time.Duration grace) {
    io.vertx.core.http.HttpServer s = server;
    if (s == null) {
      return Future.succeededFuture();
    }
    if (logs != null) {
      logs.endAll(); // follow streams end now: they would hold the wait to the grace
    }
    if (shell != null) {
      shell.endAll();
    }
    long deadline = System.nanoTime() + grace.toNanos();
    Promise<Void> answered = Promise.promise();
    waitAnswered(deadline, answered);
    return answered.future().compose(v -> s.close());
  }

  private void waitAnswered(long deadline, Promise<Void> answered) {
    if (inFlight.get() <= 0 || System.nanoTime() > deadline) {
      answered.complete();
    } else {
      vertx.setTimer(5, t -> waitAnswered(deadline, answered));
    }
  }

  @Override
  public Future<?> stop() {
    unbindLag.run();
    if (logs != null) {
      logs.endAll();
    }
    return shell == null ? Future.succeededFuture() : shell.close();
  }

  /**
   * {@code POST /v1/stop}: 202, then the orderly stop. Only from the device itself: the API may
   * listen on every interface (the container), and stopping the device is not for the network.
   */
  private void stopRequest(RoutingContext rc) {
    Runnable action = stopAction;
    var peer = rc.request().remoteAddress();
    boolean loopback = peer != null && peer.hostAddress() != null && isLoopback(peer.hostAddress());
    if (!loopback) {
      json(rc, 403, Map.of("error", "POST /v1/stop is accepted only from the device itself (a loopback address)"));
    } else if (action == null) {
      json(rc, 501, Map.of("error", "this mesh was not started by 'hostmesh run' or 'hostmesh demo': nothing here stops it"));
    } else {
      rc.response().setStatusCode(202).putHeader("content-type", "application/json")
          .end(Buffer.buffer(JsonRecordCodec.toJson(Map.of("stopping", true, "boot", mesh.bootId()))))
          .onComplete(x -> action.run());
    }
  }

  static boolean isLoopback(String address) {
    try {
      return java.net.InetAddress.getByName(address).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** The time picture; the RTC is read on the device's worker ({@code hwclock} can take a second). */
  private Future<Map<String, Object>> time() {
    return mesh.platform().rtc().read().map(rtcTime -> {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("system", mesh.platform().clock().now());
      out.put("profile", mesh.platform().profile().label());
      out.put("lastSet", mesh.platform().clock().lastSet().orElse(null));
      Map<String, Object> rtc = new LinkedHashMap<>();
      rtc.put("present", mesh.platform().rtc().present());
      rtc.put("time", rtcTime.orElse(null));
      out.put("rtc", rtc);
      out.putAll(mesh.bus().latched(Facet.TIME));
      return out;
    });
  }

  /**
   * {@code /health}: 200 {@code UP}; 200 {@code DEGRADED} while a config.json key is refused, no
   * config has been in force yet, or a failed unit may still be restarted; 503 {@code FAILED} only
   * when a unit has given up ({@link io.hostmesh.mesh.MeshHealth}, grace {@code health.failedGraceMs}).
   * Body: {@code {"status", "reasons": [...], "failed": [units], "settled"}}.
   */
  private void health(RoutingContext rc) {
    io.hostmesh.mesh.MeshHealth.Report r = io.hostmesh.mesh.MeshHealth.of(mesh.settings()).report(mesh);
    json(rc, r.status() == io.hostmesh.mesh.MeshHealth.Level.FAILED ? 503 : 200, r);
  }

  /** Registers a module's routes on a Vert.x Web router, as the API does with every {@link ApiRoutes} it finds. */
  public static void mount(Router router, ApiRoutes routes, Mesh mesh) {
    routes.register((method, path, bodyLimit, handler) -> mount(router, method, path, bodyLimit, handler), mesh);
  }

  /**
   * A module's route on the router: its body read only up to its limit and never stored as a
   * file upload (a body-less route reads none), its answer or failure written back.
   */
  private static void mount(Router router, HttpMethod method, String path, int bodyLimit, ApiHandler handler) {
    Route route = router.route(method, path);
    if (bodyLimit > 0) {
      route.handler(BodyHandler.create(false).setBodyLimit(bodyLimit));
    }
    route.handler(rc -> {
      Buffer body = bodyLimit > 0 && rc.body().buffer() != null ? rc.body().buffer() : Buffer.buffer();
      ApiRequest request = new ApiRequest(rc.request().method(), rc.request().path(), rc.pathParams(),
          rc.request().headers(), body);
      Future<ApiResponse> answer;
      try {
        answer = handler.handle(request);
      } catch (RuntimeException e) {
        answer = Future.failedFuture(e);
      }
      answer.otherwise(e -> ApiResponse.error(500, String.valueOf(e.getMessage())))
          .onSuccess(r -> rc.response().setStatusCode(r.status()).putHeader("content-type", r.contentType()).end(r.body()));
    });
  }

  /** Writes any record, list or map as JSON. */
  public static void json(RoutingContext rc, int status, Object body) {
    rc.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(io.vertx.core.buffer.Buffer.buffer(JsonRecordCodec.toJson(body)));
  }
}
