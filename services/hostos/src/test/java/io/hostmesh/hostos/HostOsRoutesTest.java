package io.hostmesh.hostos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.api.HttpApi;
import io.hostmesh.mesh.Mesh;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET /v1/os} and {@code POST /v1/sim/hup} through the real HTTP API, one API per boot. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class HostOsRoutesTest {
  @Test
  void osStatusAndHostOsUpdate(Vertx vertx) {
    AtomicReference<HttpApi> api = new AtomicReference<>();
    try (HupDevice d = new HupDevice(vertx, BootEnv.Kind.UBOOT, HupDevice.health(600, 3), List.of())) {
      WebClient web = WebClient.create(vertx);
      d.start();
      mount(vertx, d.mesh(), api);
      JsonObject os = get(web, api.get(), "/v1/os").bodyAsJsonObject();
      assertEquals("2.88.4", os.getString("version"));
      assertEquals("a", os.getString("activeSlot"));
      assertEquals("u-boot", os.getString("bootloader"));
      assertEquals(2, os.getJsonArray("slots").size());
      assertEquals(1, os.getInteger("boot"));
      assertTrue(os.getString("decision").startsWith("slot a (2.88.4)"), os.encode());

      assertEquals(400, post(web, api.get(), "not json").statusCode());
      HttpResponse<Buffer> r = post(web, api.get(), "{\"version\": 2}");
      assertEquals(400, r.statusCode());
      assertEquals("version: a version is required (X.Y.Z or X.Y.Z+revN, e.g. 2.88.4 or 2.88.4+rev1)",
          r.bodyAsJsonObject().getString("error"));
      r = post(web, api.get(), "{\"version\": \"2.89\"}");
      assertEquals("version: '2.89' is not a balenaOS version (X.Y.Z or X.Y.Z+revN, e.g. 2.88.4 or 2.88.4+rev1)",
          r.bodyAsJsonObject().getString("error"));
      r = post(web, api.get(), "{\"version\": \"2.89.0\", \"break\": \"disk\"}");
      assertEquals(400, r.statusCode());
      assertEquals("break: 'disk' is not one of engine, vpn, init", r.bodyAsJsonObject().getString("error"));
      r = post(web, api.get(), "{\"version\": \"2.89.0\", \"brake\": \"vpn\"}");
      assertEquals(400, r.statusCode());
      assertTrue(r.bodyAsJsonObject().getString("error").startsWith("unknown field 'brake'"), r.bodyAsString());
      assertEquals(413, post(web, api.get(), "{\"version\": \"" + "9".repeat(2000) + "\"}").statusCode());

      r = post(web, api.get(), "{\"version\": \"2.89.0\", \"break\": \"engine\"}");
      assertEquals(202, r.statusCode(), r.bodyAsString());
      assertEquals("b", r.bodyAsJsonObject().getString("toSlot"));
      assertTrue(r.bodyAsJsonObject().getBoolean("rebooting"));

      d.awaitUnit(2, "rollback-health", io.hostmesh.schema.unit.UnitState.ACTIVATING);
      vertx.undeploy(api.get().deploymentID()).await();
      mount(vertx, d.mesh(), api);
      os = get(web, api.get(), "/v1/os").bodyAsJsonObject();
      assertEquals("2.89.0", os.getString("version"));
      assertEquals("b", os.getString("activeSlot"));
      assertEquals(1, os.getInteger("bootcount"));
      assertEquals(true, os.getBoolean("upgradeAvailable"));
      assertEquals("IN_PROGRESS", os.getJsonObject("lastHup").getString("outcome"));
      assertTrue(os.getJsonArray("breadcrumbs").contains("rollback-health-breadcrumb"), os.encode());
      r = post(web, api.get(), "{\"version\": \"2.90.0\"}");
      assertEquals(409, r.statusCode());
      assertTrue(r.bodyAsJsonObject().getString("error").startsWith("a host OS update is on trial"), r.bodyAsString());
      String metrics = get(web, api.get(), "/metrics").bodyAsString();
      assertTrue(metrics.contains("hostmesh_os_status_bootcount 1.0"), "os.status is a status topic: its numbers are metrics");
      vertx.undeploy(api.get().deploymentID()).await();
      web.close();
    }
  }

  private static void mount(Vertx vertx, Mesh mesh, AtomicReference<HttpApi> api) {
    HttpApi a = new HttpApi(mesh, "127.0.0.1", 0);
    vertx.deployVerticle(a).await();
    api.set(a);
  }

  private static HttpResponse<Buffer> get(WebClient web, HttpApi api, String path) {
    return web.get(api.port(), "127.0.0.1", path).send().await();
  }

  private static HttpResponse<Buffer> post(WebClient web, HttpApi api, String body) {
    return web.post(api.port(), "127.0.0.1", "/v1/sim/hup").putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer(body)).await();
  }
}
