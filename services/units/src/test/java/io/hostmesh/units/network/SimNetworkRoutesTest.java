package io.hostmesh.units.network;

import io.hostmesh.api.HttpApi;

import static io.hostmesh.units.network.NetworkUnitTest.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.spi.ApiRoutes;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.testing.SimDevice;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** POST /v1/sim/network through the ApiRoutes SPI, on a real HTTP server on 127.0.0.1. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class SimNetworkRoutesTest {
  @Test
  void theApiTakesTheNetworkDownAndUp(Vertx vertx) throws Exception {
    try (SimDevice dev = SimDevice.builder(vertx).unit(NetworkUnit::new).unit(NetworkUnitTest.NeedsNetwork::new)
        .file(NetworkUnit.SIM_STATE_FILE, "down\n").build()) {
      get(dev.start());
      Router router = Router.router(vertx);
      // found the way the API finds it: through the SPI file
      ServiceLoader.load(ApiRoutes.class).stream().map(ServiceLoader.Provider::get)
          .filter(r -> r instanceof SimNetworkRoutes).findFirst().ifPresent(r -> HttpApi.mount(router, r, dev.mesh()));
      HttpServer server = get(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
      WebClient client = WebClient.create(vertx);
      try {
        assertEquals(400, post(client, server, "not json").statusCode());
        assertEquals(400, post(client, server, "{\"online\": \"yes\"}").statusCode());
        assertEquals(400, post(client, server, "[true]").statusCode());
        assertEquals(413, post(client, server, "{\"online\": true, \"pad\": \"" + "x".repeat(2000) + "\"}").statusCode());
        assertFalse(dev.bus().latest(Targets.NETWORK).orElseThrow().online(), "refused bodies change nothing");
        assertEquals(UnitState.WAITING, dev.mesh().unit("needs-network").orElseThrow().state());

        HttpResponse<Buffer> up = post(client, server, "{\"online\": true}");
        assertEquals(200, up.statusCode());
        JsonObject body = up.bodyAsJsonObject();
        assertTrue(body.getBoolean("online"));
        assertEquals("api", body.getString("reason"));
        get(dev.awaitUnit("needs-network", UnitState.EXITED));

        assertEquals(200, post(client, server, "{\"online\": false}").statusCode());
        assertFalse(dev.bus().latest(Targets.NETWORK).orElseThrow().online());
        assertEquals("down\n", dev.readFile(NetworkUnit.SIM_STATE_FILE));
      } finally {
        client.close();
        get(server.close());
        get(dev.stop());
      }
    }
  }

  @Test
  void withoutANetworkUnitTheApiSaysSo(Vertx vertx) throws Exception {
    try (SimDevice dev = SimDevice.builder(vertx).build()) {
      get(dev.start());
      Router router = Router.router(vertx);
      HttpApi.mount(router, new SimNetworkRoutes(), dev.mesh());
      HttpServer server = get(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
      WebClient client = WebClient.create(vertx);
      try {
        HttpResponse<Buffer> r = post(client, server, "{\"online\": false}");
        assertEquals(503, r.statusCode());
        assertEquals("no network unit is running", r.bodyAsJsonObject().getString("error"));
      } finally {
        client.close();
        get(server.close());
      }
    }
  }

  private static HttpResponse<Buffer> post(WebClient client, HttpServer server, String body) throws Exception {
    return get(client.post(server.actualPort(), "127.0.0.1", "/v1/sim/network")
        .putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(body)));
  }
}
