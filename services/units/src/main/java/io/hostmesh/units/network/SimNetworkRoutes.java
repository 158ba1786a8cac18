package io.hostmesh.units.network;

import io.hostmesh.spi.ApiRequest;
import io.hostmesh.spi.ApiResponse;
import io.hostmesh.spi.ApiRouter;
import io.hostmesh.spi.ApiRoutes;
import io.vertx.core.Future;
import io.hostmesh.bus.Bus;
import io.hostmesh.mesh.Mesh;
import io.hostmesh.schema.https.HttpsTopics;
import io.hostmesh.schema.https.SimNetworkChange;
import io.vertx.core.json.JsonObject;

/**
 * {@code POST /v1/sim/network} with {@code {"online": false}} or {@code {"online": true}}: takes
 * the simulated network down or up through the {@code network} unit. Answers 200 with the new
 * state, 400 for a body that is not {@code {"online": <boolean>}}, 409 on a real device, 503 when
 * no network unit runs.
 */
public final class SimNetworkRoutes implements ApiRoutes {
  /** Far more than {@code {"online": false}} needs; a larger body is refused unread. */
  static final int BODY_LIMIT = 1024;

  @Override
  public void register(ApiRouter router, Mesh mesh) {
    router.post("/v1/sim/network", BODY_LIMIT, request -> handle(request, mesh.bus()));
  }

  private static Future<ApiResponse> handle(ApiRequest request, Bus bus) {
    Object online = request.jsonObject().map(b -> b.getValue("online")).orElse(null);
    if (!(online instanceof Boolean wanted)) {
      return ApiResponse.error(400, "expected a JSON object {\"online\": true|false}").now();
    }
    return bus.request(HttpsTopics.SET_SIM_NETWORK, new SimNetworkChange(wanted, "api"))
        .map(s -> ApiResponse.json(200, new JsonObject().put("online", s.online()).put("reason", s.reason())
            .put("wallTime", String.valueOf(s.wallTime()))))
        .otherwise(e -> Bus.isNoHandler(e) ? ApiResponse.error(503, "no network unit is running")
            : ApiResponse.error(409, String.valueOf(e.getMessage())));
  }
}
