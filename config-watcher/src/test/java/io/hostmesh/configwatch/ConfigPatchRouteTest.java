package io.hostmesh.configwatch;

import io.hostmesh.api.HttpApi;

import io.hostmesh.spi.ApiRoutes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.mesh.Mesh;
import io.hostmesh.mesh.MeshSettings;
import io.hostmesh.platform.Profile;
import io.hostmesh.testing.SimDevice;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** PATCH /v1/config through the ApiRoutes SPI, on a loopback HTTP server. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConfigPatchRouteTest {
  private static HttpServer serve(Vertx vertx, Mesh mesh) {
    Router router = Router.router(vertx);
    java.util.ServiceLoader.load(io.hostmesh.spi.ApiRoutes.class).forEach(r -> HttpApi.mount(router, r, mesh));
    return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
  }

  private static HttpResponse<Buffer> patch(WebClient client, HttpServer server, String type, String body) {
    return client.patch(server.actualPort(), "127.0.0.1", "/v1/config").putHeader("Content-Type", type)
        .sendBuffer(Buffer.buffer(body)).await();
  }

  @Test
  void inSimAMergePatchIsWrittenAndPutInForce(Vertx vertx) throws Exception {
    try (SimDevice dev = ConfigRoot.device(vertx).file(ConfigRoot.CONFIG, ConfigWatcherTest.BASE).build()) {
      dev.start().await();
      HttpServer server = serve(vertx, dev.mesh());
      WebClient client = WebClient.create(vertx);
      HttpResponse<Buffer> ok = patch(client, server, "application/merge-patch+json",
          "{\"hostname\":\"patched\",\"os\":{\"network\":{\"wifi\":{\"randomMacAddressScan\":false}}},\"localMode\":null}");
      assertEquals(200, ok.statusCode(), ok.bodyAsString());
      JsonObject body = ok.bodyAsJsonObject();
      assertEquals(true, body.getBoolean("inForce"));
      assertEquals("patched", body.getJsonObject("config").getString("hostname"));
      assertTrue(!body.getJsonObject("config").containsKey("localMode"), "null deletes");
      assertEquals("0123456789abcdef0123456789abcdef", body.getJsonObject("config").getString("uuid"), "other keys kept");
      ConfigRoot.awaitFile(dev, "/etc/hostname", "patched\n");

      String before = Files.readString(dev.path(ConfigRoot.CONFIG));
      HttpResponse<Buffer> hostile = patch(client, server, "application/json", "{\"os\":{\"udevRules\":{\"../../x\":\"y\"}}}");
      assertEquals(422, hostile.statusCode());
      assertEquals("/os/udevRules/..~1..~1x", hostile.bodyAsJsonObject().getString("path"));
      assertEquals(400, patch(client, server, "application/json", "{\"hostname\":").statusCode());
      assertEquals(415, patch(client, server, "text/plain", "{}").statusCode());
      assertEquals(before, Files.readString(dev.path(ConfigRoot.CONFIG)), "refused edits write nothing");
      client.close();
      server.close().await();
      dev.stop().await();
    }
  }

  @Test
  void aPatchIsRefusedOnlyForItsOwnKeysAndWarnsAboutTheOthers(Vertx vertx) throws Exception {
    String bad = ConfigWatcherTest.BASE.replace("\"uuid\"", "\"ntpServers\":[\"x\"],\"uuid\"");
    try (SimDevice dev = ConfigRoot.device(vertx).file(ConfigRoot.CONFIG, bad).build()) {
      dev.start().await();
      HttpServer server = serve(vertx, dev.mesh());
      WebClient client = WebClient.create(vertx);
      HttpResponse<Buffer> ok = patch(client, server, "application/merge-patch+json", "{\"hostname\":\"fine\",\"nosuchkey\":1}");
      assertEquals(200, ok.statusCode(), ok.bodyAsString());
      assertEquals(true, ok.bodyAsJsonObject().getBoolean("inForce"), "in force with /ntpServers held back");
      assertEquals(new io.vertx.core.json.JsonArray()
          .add(new JsonObject().put("path", "/ntpServers").put("reason", "already refused, left as it was: must be a string, found an array"))
          .add(new JsonObject().put("path", "/nosuchkey").put("reason", "unknown key: kept, no unit reads it")),
          ok.bodyAsJsonObject().getJsonArray("warnings"));
      ConfigRoot.awaitFile(dev, "/etc/hostname", "fine\n");

      String before = Files.readString(dev.path(ConfigRoot.CONFIG));
      HttpResponse<Buffer> own = patch(client, server, "application/json", "{\"dnsServers\":{\"a\":1},\"country\":\"XX\"}");
      assertEquals(422, own.statusCode());
      assertEquals(2, own.bodyAsJsonObject().getJsonArray("violations").size(), own.bodyAsString());
      assertEquals("/dnsServers", own.bodyAsJsonObject().getString("path"));
      assertEquals(before, Files.readString(dev.path(ConfigRoot.CONFIG)), "refused edits write nothing");
      client.close();
      server.close().await();
      dev.stop().await();
    }
  }

  @Test
  void onADeviceOutsideDevelopmentModeItIsForbidden(Vertx vertx, @TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("mnt/boot"));
    Files.writeString(root.resolve("mnt/boot/config.json"), "{\"developmentMode\":false}");
    Mesh mesh = Mesh.builder(vertx, new MeshSettings(Profile.DEVICE, root, new JsonObject())).build();
    HttpServer server = serve(vertx, mesh);
    WebClient client = WebClient.create(vertx);
    HttpResponse<Buffer> r = patch(client, server, "application/merge-patch+json", "{\"hostname\":\"x\"}");
    assertEquals(403, r.statusCode());
    assertEquals("{\"developmentMode\":false}", Files.readString(root.resolve("mnt/boot/config.json")));
    client.close();
    server.close().await();
  }
}
