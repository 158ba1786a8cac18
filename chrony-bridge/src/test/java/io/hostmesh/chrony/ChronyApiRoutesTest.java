package io.hostmesh.chrony;

import io.hostmesh.api.HttpApi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.spi.ApiRoutes;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The DHCP NTP route over real HTTP on loopback, into a running chrony-sources unit. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ChronyApiRoutesTest {
  private SimDevice dev;
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close().await();
    }
    if (dev != null) {
      dev.stop().await();
      dev.close();
    }
  }

  @Test
  void dhcpNtpServersReachTheSourcesFile(Vertx vertx) {
    WebClient client = start(vertx, true);
    HttpResponse<Buffer> r = post(client, "/v1/sim/dhcp-ntp",
        new JsonObject().put("interface", "eth0").put("action", "up").put("servers", "10.0.0.1  ntp.lan"));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals("added", body.getString("change"));
    assertEquals("/run/chrony/added_dhcp_eth0.sources", body.getString("file"));
    assertEquals("pool 10.0.0.1 iburst minpoll 14 maxpoll 14 maxsources 1\n"
        + "pool ntp.lan iburst minpoll 14 maxpoll 14 maxsources 1\n", dev.readFile("/run/chrony/added_dhcp_eth0.sources"));

    HttpResponse<Buffer> down = post(client, "/v1/dhcp-ntp",
        new JsonObject().put("interface", "eth0").put("action", "down"));
    assertEquals("removed", down.bodyAsJsonObject().getString("change"));
    assertFalse(Files.exists(dev.path("/run/chrony/added_dhcp_eth0.sources")));
  }

  @Test
  void badRequestsAreRefusedAndNothingIsWritten(Vertx vertx) throws Exception {
    WebClient client = start(vertx, true);
    for (JsonObject bad : new JsonObject[] {
        new JsonObject().put("interface", "../../etc").put("action", "up").put("servers", "10.0.0.1"),
        new JsonObject().put("interface", "eth0").put("action", "up").put("servers",
            new io.vertx.core.json.JsonArray().add("10.0.0.1\nallow all")),
        new JsonObject().put("interface", "eth0").put("action", "up").put("servers", "a;reboot"),
        new JsonObject().put("interface", "eth0").put("action", "up").put("servers", 7),
        new JsonObject().put("action", "up")}) {
      HttpResponse<Buffer> r = post(client, "/v1/dhcp-ntp", bad);
      assertEquals(400, r.statusCode(), bad.encode());
      assertTrue(r.bodyAsJsonObject().getString("error").length() > 0);
    }
    HttpResponse<Buffer> notJson = client.post(server.actualPort(), "127.0.0.1", "/v1/dhcp-ntp")
        .sendBuffer(Buffer.buffer("{not json")).await();
    assertEquals(400, notJson.statusCode());
    try (var files = Files.list(dev.path("/run/chrony"))) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void withoutTheUnitTheRouteSaysUnavailable(Vertx vertx) {
    WebClient client = start(vertx, false);
    HttpResponse<Buffer> r = post(client, "/v1/dhcp-ntp",
        new JsonObject().put("interface", "eth0").put("action", "up").put("servers", "10.0.0.1"));
    assertEquals(503, r.statusCode());
  }

  @Test
  void unitsAndRoutesAreFoundByServiceLoader() {
    assertTrue(ServiceLoader.load(ApiRoutes.class).stream().anyMatch(p -> p.type() == ChronyApiRoutes.class));
    var units = ServiceLoader.load(UnitVerticle.class).stream().map(ServiceLoader.Provider::type).toList();
    assertTrue(units.contains(ChronydUnit.class) && units.contains(ChronySourcesUnit.class), units.toString());
  }

  private WebClient start(Vertx vertx, boolean withUnit) {
    SimDevice.Builder b = SimDevice.builder(vertx);
    if (withUnit) {
      b.unit(ChronySourcesUnit::new);
    }
    dev = b.build();
    dev.start().await();
    if (withUnit) {
      dev.awaitUnit("chrony-sources", UnitState.ACTIVE).await();
    }
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create()); // as an API with a global body handler would have
    HttpApi.mount(router, new ChronyApiRoutes(), dev.mesh());
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    return WebClient.create(vertx);
  }

  private HttpResponse<Buffer> post(WebClient client, String path, JsonObject body) {
    return client.post(server.actualPort(), "127.0.0.1", path).sendJsonObject(body).await();
  }
}
