package io.hostmesh.chrony;

import io.hostmesh.spi.ApiRequest;
import io.hostmesh.spi.ApiResponse;
import io.hostmesh.spi.ApiRouter;
import io.hostmesh.spi.ApiRoutes;
import io.vertx.core.Future;
import io.hostmesh.bus.Bus;
import io.hostmesh.mesh.Mesh;
import io.hostmesh.platform.Profile;
import io.hostmesh.schema.chrony.ChronyTopics;
import io.hostmesh.schema.chrony.DhcpNtpServers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * HTTP routes of chrony-bridge.
 *
 * <p>{@code POST /v1/dhcp-ntp} (and {@code POST /v1/sim/dhcp-ntp} in sim) with
 * {@code {"interface":"eth0","action":"up","servers":["10.0.0.1"]}}: the DHCP NTP servers of an
 * interface, as NetworkManager's {@code 98dhcp_ntp} dispatcher receives them; {@code servers}
 * may also be the space-separated {@code DHCP4_NTP_SERVERS} string. Answers 200 with the
 * {@code DhcpNtpApplied} record, 400 with {@code {"error": ...}} for a bad value (nothing is
 * written), 503 when the chrony-sources unit is not running.
 *
 * <p>On a device a NetworkManager dispatcher script hands the lease to hostmesh like this
 * (no shell evaluation of the values: jq builds the JSON):
 * <pre>{@code
 * #!/bin/sh
 * # /etc/NetworkManager/dispatcher.d/98dhcp_ntp  ($1 interface, $2 action)
 * jq -n --arg i "$1" --arg a "$2" --arg s "$DHCP4_NTP_SERVERS" \
 *   '{interface: $i, action: $a, servers: $s}' |
 *   curl -fsS -m 5 -X POST -H 'Content-Type: application/json' --data-binary @- \
 *     http://127.0.0.1:48400/v1/dhcp-ntp >/dev/null || true
 * }</pre>
 *
 * <p>Threading: handlers run on the API's event loop and reach the unit only through the bus.
 */
public final class ChronyApiRoutes implements ApiRoutes {
  private static final int BODY_LIMIT = 16 * 1024;

  @Override
  public void register(ApiRouter router, Mesh mesh) {
    Bus bus = mesh.bus();
    router.post("/v1/dhcp-ntp", BODY_LIMIT, request -> dhcpNtp(request, bus));
    if (mesh.platform().profile() == Profile.SIM) {
      router.post("/v1/sim/dhcp-ntp", BODY_LIMIT, request -> dhcpNtp(request, bus));
    }
  }

  private static Future<ApiResponse> dhcpNtp(ApiRequest http, Bus bus) {
    DhcpNtpServers request;
    try {
      request = parse(http.jsonObject().orElse(null));
    } catch (RuntimeException e) {
      return ApiResponse.error(400, "invalid request body: " + e.getMessage()).now();
    }
    Optional<String> problem = SourceNames.interfaceProblem(request.iface())
        .or(() -> SourceNames.firstServerProblem(request.servers()));
    if (problem.isPresent()) {
      return ApiResponse.error(400, problem.get()).now();
    }
    return bus.request(ChronyTopics.DHCP_NTP_SERVERS, request)
        .map(applied -> ApiResponse.json(200, applied))
        .otherwise(e -> Bus.isNoHandler(e) ? ApiResponse.error(503, "chrony-sources is not running")
            : ApiResponse.error(500, String.valueOf(e.getMessage())));
  }

  /** The request record of a JSON body; throws for a missing or mistyped field. */
  static DhcpNtpServers parse(JsonObject body) {
    if (body == null) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    String iface = body.getString("interface");
    String action = body.getString("action");
    if (iface == null || action == null) {
      throw new IllegalArgumentException("\"interface\" and \"action\" are required");
    }
    Object s = body.getValue("servers");
    List<String> servers = new ArrayList<>();
    if (s instanceof String text) {
      // DHCP4_NTP_SERVERS as NetworkManager sets it: space separated
      Arrays.stream(text.trim().split("\\s+")).filter(w -> !w.isEmpty()).forEach(servers::add);
    } else if (s instanceof JsonArray a) {
      for (Object o : a) {
        if (!(o instanceof String w)) {
          throw new IllegalArgumentException("\"servers\" must hold strings");
        }
        servers.add(w);
      }
    } else if (s != null) {
      throw new IllegalArgumentException("\"servers\" must be a list or a string");
    }
    return new DhcpNtpServers(iface, action, servers);
  }
}
