package io.hostmesh.hostos;

import io.hostmesh.bus.Bus;
import io.hostmesh.hostos.units.HostappUpdate;
import io.hostmesh.mesh.Mesh;
import io.hostmesh.schema.hostos.HostOsTopics;
import io.hostmesh.schema.hostos.HupRequest;
import io.hostmesh.schema.hostos.PowerRequest;
import io.hostmesh.schema.hostos.RebootAnswer;
import io.hostmesh.schema.hostos.RebootRequest;
import io.hostmesh.spi.ApiRequest;
import io.hostmesh.spi.ApiResponse;
import io.hostmesh.spi.ApiRouter;
import io.hostmesh.spi.ApiRoutes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * {@code GET /v1/os}: the latched {@code os.status} (200), 503 when no bootloader unit runs.
 *
 * <p>{@code POST /v1/sim/hup} with {@code {"version": "2.89.0", "break": "engine"}} ({@code break}
 * optional: {@code engine}, {@code vpn}, {@code init}): a simulated host OS update through the
 * {@code hostapp-update} unit. 202 with the {@code HupAnswer} (the device reboots into the new
 * slot), 400 for a bad body, 409 when refused (an update on trial, a real device, no A/B host
 * OS), 503 when no hostapp-update unit runs.
 */
public final class HostOsRoutes implements ApiRoutes {
  /** Far more than the body needs; a larger one is refused unread. */
  static final int BODY_LIMIT = 1024;
  static final String USAGE = "expected a JSON object {\"version\": \"X.Y.Z\", \"break\": \"engine|vpn|init\"} (break optional)";
  private static final Set<String> FIELDS = Set.of("version", "break");

  @Override
  public void register(ApiRouter router, Mesh mesh) {
    router.get("/v1/os", request -> mesh.bus().latest(HostOsTopics.STATUS)
        .map(s -> ApiResponse.json(200, s))
        .orElse(ApiResponse.error(503, "no bootloader unit is running")).now());
    router.post("/v1/sim/hup", BODY_LIMIT, request -> hup(request, mesh.bus()));
    router.post("/v1/sim/reboot", BODY_LIMIT, request -> power(request, mesh.bus(), "reboot"));
    router.post("/v1/sim/poweroff", BODY_LIMIT, request -> power(request, mesh.bus(), "poweroff"));
    router.post("/v1/sim/power-cut", BODY_LIMIT, request -> power(request, mesh.bus(), "power-cut"));
  }

  static final String POWER_USAGE = "expected no body or a JSON object {\"reason\": \"...\"}";

  /** Reboot, power-off and power cut of a sim device: 202 once accepted (the answer comes before anything stops). */
  private static Future<ApiResponse> power(ApiRequest request, Bus bus, String action) {
    String reason = "api " + action;
    if (request.body().length() > 0) {
      JsonObject body = request.jsonObject().orElse(null);
      if (body == null || !body.fieldNames().stream().allMatch("reason"::equals)
          || (body.containsKey("reason") && !(body.getValue("reason") instanceof String))) {
        return ApiResponse.error(400, POWER_USAGE).now();
      }
      reason = body.getString("reason", reason);
    }
    Future<RebootAnswer> answer = action.equals("reboot")
        ? bus.request(HostOsTopics.REBOOT, new RebootRequest("api", reason, false))
        : bus.request(HostOsTopics.POWER, new PowerRequest("api", action.equals("power-cut"), reason));
    return answer.map(a -> a.accepted() ? ApiResponse.json(202, a) : ApiResponse.error(409, a.message()))
        .otherwise(e -> Bus.isNoHandler(e) ? ApiResponse.error(503, "not a sim device run by the sim lifecycle"
            + " (hostmesh run --profile sim or hostmesh demo)") : ApiResponse.error(500, String.valueOf(e.getMessage())));
  }

  private static Future<ApiResponse> hup(ApiRequest request, Bus bus) {
    JsonObject body = request.jsonObject().orElse(null);
    if (body == null) {
      return ApiResponse.error(400, USAGE).now();
    }
    for (String k : body.fieldNames()) {
      if (!FIELDS.contains(k)) {
        return ApiResponse.error(400, "unknown field '" + OsVersion.printable(k) + "': " + USAGE).now();
      }
    }
    Object version = body.getValue("version");
    Object brk = body.getValue("break");
    if (!(version instanceof String v)) {
      return ApiResponse.error(400, "version: " + OsVersion.problem(null)).now();
    }
    if (brk != null && !(brk instanceof String)) {
      return ApiResponse.error(400, "break: expected a string, one of " + String.join(", ", HostappUpdate.BREAKS)).now();
    }
    String problem = OsVersion.problem(v);
    if (problem != null) {
      return ApiResponse.error(400, "version: " + problem).now();
    }
    String b = brk == null ? "" : (String) brk;
    String breakProblem = HostappUpdate.breakProblem(b);
    if (breakProblem != null) {
      return ApiResponse.error(400, breakProblem).now();
    }
    return bus.request(HostOsTopics.HUP, new HupRequest(v, b, "api"))
        .map(a -> ApiResponse.json(202, a))
        .otherwise(e -> Bus.isNoHandler(e) ? ApiResponse.error(503, "no hostapp-update unit is running")
            : ApiResponse.error(409, String.valueOf(e.getMessage())));
  }
}
