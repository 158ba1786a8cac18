package io.hostmesh.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.testing.ScriptedUnit;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.unit.UnitDescriptor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A mesh nobody reboots in its process (the device profile: no boot log) knows only its own boot:
 * {@code GET /v1/boots} lists it alone, {@code ?boot=0} and its id name it, anything else is 404.
 */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class BootRoutesTest {
  @Test
  void withoutABootLogOnlyThisBootIsKnown(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx)
        .unit(() -> new ScriptedUnit(UnitDescriptor.named("talker").build(), u -> {
          u.log().info("hello");
          return Future.succeededFuture();
        })).build()) {
      dev.start().await();
      dev.mesh().whenSettled().await();
      HttpApi api = new HttpApi(dev.mesh(), "127.0.0.1", 0);
      vertx.deployVerticle(api).await();
      WebClient web = WebClient.create(vertx);
      String id = dev.mesh().bootId();

      JsonArray boots = get(web, api, "/v1/boots").bodyAsJsonArray();
      assertEquals(1, boots.size(), boots.encode());
      JsonObject b = boots.getJsonObject(0);
      assertEquals(0, b.getInteger("index"));
      assertEquals(id, b.getString("bootId"));
      assertEquals("running", b.getString("end"));
      assertTrue(b.containsKey("ended") && b.getValue("ended") == null, b.encode());
      assertTrue(b.containsKey("decision") && b.getValue("decision") == null, "no bootloader decision latched: " + b.encode());
      assertEquals(dev.mesh().boot().startedAt().toString(), java.time.Instant.parse(b.getString("started")).toString());

      JsonArray lines = get(web, api, "/v1/logs?boot=" + id).bodyAsJsonArray();
      assertEquals(1, lines.size());
      assertEquals(id, lines.getJsonObject(0).getString("bootId"));
      assertEquals(get(web, api, "/v1/logs").bodyAsString(), get(web, api, "/v1/logs?boot=0").bodyAsString());
      assertEquals(get(web, api, "/v1/logs").bodyAsString(), get(web, api, "/v1/logs?boot=all").bodyAsString());
      assertEquals(get(web, api, "/v1/timeline").bodyAsString(), get(web, api, "/v1/timeline?boot=0").bodyAsString());
      assertEquals(id, get(web, api, "/v1/boot?boot=" + id.toUpperCase()).bodyAsJsonObject().getString("bootId"), "ids in any case");
      assertEquals(id, get(web, api, "/v1/boot?boot=1").bodyAsJsonObject().getString("bootId"), "1: the oldest kept, this one");

      HttpResponse<Buffer> r = get(web, api, "/v1/logs?boot=-1");
      assertEquals(404, r.statusCode());
      assertEquals("no boot -1 (kept: 0..0)", r.bodyAsJsonObject().getString("error"));
      r = get(web, api, "/v1/units?boot=2");
      assertEquals(404, r.statusCode());
      assertEquals("no boot 2 (kept: 0..0)", r.bodyAsJsonObject().getString("error"));
      r = get(web, api, "/v1/timeline?boot=1.5");
      assertEquals(400, r.statusCode());
      assertTrue(r.bodyAsJsonObject().getString("error").endsWith("not '1.5'"), r.bodyAsString());
      r = get(web, api, "/v1/boot?boot=%01" + "x".repeat(100));
      assertEquals(400, r.statusCode());
      assertTrue(r.bodyAsJsonObject().getString("error").endsWith("not '?" + "x".repeat(63) + "…'"), "echoed printable and cut: "
          + r.bodyAsString());
      vertx.undeploy(api.deploymentID()).await();
      web.close();
    }
  }

  private static HttpResponse<Buffer> get(WebClient web, HttpApi api, String path) {
    return web.get(api.port(), "127.0.0.1", path).send().await();
  }
}
