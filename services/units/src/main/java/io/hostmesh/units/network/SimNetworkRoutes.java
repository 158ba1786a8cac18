package io.hostmesh.units.network;

import io.hostmesh.spi.ApiRoutes;
import io.hostmesh.bus.Bus;
import io.hostmesh.mesh.Mesh;
import io.hostmesh.schema.https.HttpsTopics;
import io.hostmesh.schema.https.SimNetworkChange;
import io.hostmesh.schema.target.NetworkState;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * {@code POST /v1/sim/network} with {@code {"online": false}} or {@code {"online": true}}: takes
 * the simulated network down or up through the {@code network} unit. Answers 200 with the new
 * state, 400 for a body that is not {@code {"online": <boolean>}}, 409 on a real device, 503 when
 * no network unit runs.
 */
public final class SimNetworkRoutes implements ApiRoutes {
  /** Far more than {@code {"online": false}} needs; a larger body is refused unread. */
  static final long BODY_LIMIT = 1024;

  @Override
  public void register(Router router, Mesh mesh) {
    router.post("/v1/sim/network").handler(BodyHandler.create().setBodyLimit(BODY_LIMIT))
        .handler(ctx -> handle(ctx, mesh.bus()));
  }

  private static void handle(RoutingContext ctx, Bus bus) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      body = null;
    }
    Object online = body == null ? null : body.getValue("online");
    if (!(online instanceof Boolean wanted)) {
      error(ctx, 400, "expected a JSON object {\"online\": true|false}");
      return;
    }
    bus.request(HttpsTopics.SET_SIM_NETWORK, new SimNetworkChange(wanted, "api")).onComplete(ar -> {
      if (ar.succeeded()) {
        NetworkState s = ar.result();
        ctx.response().putHeader("content-type", "application/json")
            .end(new JsonObject().put("online", s.online()).put("reason", s.reason())
                .put("wallTime", String.valueOf(s.wallTime())).encode());
      } else if (Bus.isNoHandler(ar.cause())) {
        error(ctx, 503, "no network unit is running");
      } else {
        error(ctx, 409, String.valueOf(ar.cause().getMessage()));
      }
    });
  }

  private static void error(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", message).encode());
  }
}
