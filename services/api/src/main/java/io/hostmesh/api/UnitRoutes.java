package io.hostmesh.api;

import io.hostmesh.mesh.Mesh;
import io.hostmesh.mesh.UnitRequestRefused;
import io.hostmesh.mesh.UnitStatus;
import io.hostmesh.platform.Timer;
import io.hostmesh.schema.unit.UnitState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Jobs on one unit, as {@code systemctl restart} and {@code systemctl reset-failed}; neither
 * reads a body.
 *
 * <ul>
 *   <li>{@code POST /v1/units/{name}/restart?timeout=SECONDS}: stops the unit if it runs and starts
 *       it again (through waiting and activating, as at boot). Answers 200 with the unit's status
 *       once it has settled (look at {@code state}: {@code failed} with {@code result}
 *       {@code start-limit-hit} means it was started too often: reset-failed first), 202 with the
 *       status so far when it has not settled within {@code timeout} (default
 *       {@value #DEFAULT_TIMEOUT} s, 0 answers at once; the restart goes on), 400 for a bad
 *       timeout, 404 for an unknown unit, 409 for a disabled one, 503 while the mesh stops.
 *   <li>{@code POST /v1/units/{name}/reset-failed}: forgets the start-limit history and the
 *       restart count; a failed unit becomes inactive and stays down until restarted. Answers
 *       200 with the status, 404, 503.
 * </ul>
 */
final class UnitRoutes {
  static final int DEFAULT_TIMEOUT = 90;
  static final int MAX_TIMEOUT = 3600;

  private final Mesh mesh;

  UnitRoutes(Mesh mesh) {
    this.mesh = mesh;
  }

  void mount(Router router) {
    router.post("/v1/units/:name/restart").handler(this::restart);
    router.post("/v1/units/:name/reset-failed").handler(rc -> mesh.resetFailed(rc.pathParam("name"))
        .onSuccess(s -> HttpApi.json(rc, 200, s))
        .onFailure(e -> refused(rc, e)));
  }

  private void restart(RoutingContext rc) {
    String name = rc.pathParam("name");
    String t = rc.queryParams().get("timeout");
    int timeout;
    try {
      timeout = t == null ? DEFAULT_TIMEOUT : Integer.parseInt(t);
    } catch (NumberFormatException e) {
      timeout = -1;
    }
    if (timeout < 0 || timeout > MAX_TIMEOUT) {
      HttpApi.json(rc, 400, Map.of("error", "timeout must be whole seconds from 0 to " + MAX_TIMEOUT + ", not '" + t + "'"));
      return;
    }
    // checked here too, so that a request that does not wait still hears of a wrong name
    Optional<UnitStatus> now = mesh.unit(name);
    if (now.isEmpty() || now.get().state() == UnitState.DISABLED) {
      mesh.restart(name).onFailure(e -> refused(rc, e));
      return;
    }
    Future<UnitStatus> settled = mesh.restart(name);
    Promise<Integer> answer = Promise.promise();
    Timer timer = mesh.platform().scheduler().realTime().schedule(Duration.ofSeconds(timeout), () -> answer.tryComplete(202));
    settled.onComplete(ar -> {
      timer.cancel();
      answer.tryComplete(200);
    });
    answer.future().onSuccess(code -> {
      if (code == 200 && settled.failed()) {
        refused(rc, settled.cause());
      } else {
        HttpApi.json(rc, code, code == 200 ? settled.result() : mesh.unit(name).orElseThrow());
      }
    });
  }

  static void refused(RoutingContext rc, Throwable e) {
    int status = e instanceof UnitRequestRefused r ? switch (r.reason()) {
      case NO_SUCH_UNIT -> 404;
      case DISABLED -> 409;
      case STOPPING -> 503;
    } : 500;
    HttpApi.json(rc, status, Map.of("error", String.valueOf(e.getMessage())));
  }
}
